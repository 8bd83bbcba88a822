import type { TableColumn } from '../analyses/table-columns.js'

/** The table downloads: comma-separated (RFC 4180) or tab-separated values. */
export type TableFormat = 'csv' | 'tsv'

/** A spreadsheet would run a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

function cellText (value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return FORMULA_START.test(value) ? `'${value}` : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

function csvCell (text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text
}

function tsvCell (text: string): string {
  // TSV has no quoting: a tab or line break inside a value becomes a space.
  return text.replace(/[\t\r\n]+/g, ' ')
}

/** The columns of rows that declare none: the first row's fields, headed by their names. */
export function columnsOf (rows: Array<Record<string, unknown>>): TableColumn[] {
  return Object.keys(rows[0] ?? {}).map((field) => ({ field, header: field }))
}

/**
 * Writes rows as CSV (RFC 4180: quoted when needed, CRLF line ends) or TSV (no quoting, tabs and
 * line breaks in values become spaces, LF line ends), a header line first. Text cells that a
 * spreadsheet would read as a formula (`=`, `+`, `-`, `@`) get a leading `'`.
 */
export function toTable (rows: Array<Record<string, unknown>>, columns: readonly TableColumn[], format: TableFormat): string {
  const cell = format === 'csv' ? csvCell : tsvCell
  const separator = format === 'csv' ? ',' : '\t'
  const newline = format === 'csv' ? '\r\n' : '\n'
  const lines = [columns.map((column) => cell(cellText(column.header))).join(separator)]
  for (const row of rows) {
    lines.push(columns.map((column) => {
      const value = row[column.field]
      const shown = column.labels !== undefined && typeof value === 'string' ? column.labels[value] ?? value : value
      return cell(cellText(shown))
    }).join(separator))
  }
  return lines.join(newline) + newline
}
