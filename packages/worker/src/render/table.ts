import { stringify } from 'csv-stringify/sync'

/**
 * One column of a table download: which row field, under which header. Each analysis declares its
 * own columns in this shape (the renderer does not know the analyses).
 */
export interface TableColumn {
  field: string
  header: string
  /** Shows a value differently in the download (e.g. `approved` -> `Approved symbol`). */
  labels?: Readonly<Record<string, string>>
}

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

function tsvCell (text: string): string {
  // TSV has no quoting: a tab or line break inside a value becomes a space.
  return text.replace(/[\t\r\n]+/g, ' ')
}

/** The columns of rows that declare none: the first row's fields, headed by their names. */
export function columnsOf (rows: Array<Record<string, unknown>>): TableColumn[] {
  return Object.keys(rows[0] ?? {}).map((field) => ({ field, header: field }))
}

/**
 * Writes rows as CSV (RFC 4180 through csv-stringify: quoted when needed, CRLF line ends) or TSV
 * (no quoting: tabs and line breaks in values become spaces, LF line ends), a header line first.
 * Text cells that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`) get a leading `'`.
 */
export function toTable (rows: Array<Record<string, unknown>>, columns: readonly TableColumn[], format: TableFormat): string {
  const header = columns.map((column) => cellText(column.header))
  const body = rows.map((row) => columns.map((column) => {
    const value = row[column.field]
    return cellText(column.labels !== undefined && typeof value === 'string' ? column.labels[value] ?? value : value)
  }))
  if (format === 'csv') return stringify([header, ...body], { record_delimiter: 'windows', quoted_match: /^\s|\s$|[\r\n]/ })
  return [header, ...body].map((cells) => cells.map(tsvCell).join('\t')).join('\n') + '\n'
}
