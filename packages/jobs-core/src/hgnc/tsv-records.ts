import { GenejobsError } from '../errors.js'
import { checkDoc, type HgncDoc } from './json-records.js'

/** Old TSV column names and the names HGNC's JSON uses for them today. */
const RENAMED_COLUMNS: Readonly<Record<string, string>> = {
  gene_family: 'gene_group',
  gene_family_id: 'gene_group_id',
  rna_central_ids: 'rna_central_id'
}

/** Fields HGNC's JSON always gives as arrays, even with a single value. */
const ARRAY_FIELDS: ReadonlySet<string> = new Set([
  'alias_symbol', 'alias_name', 'prev_symbol', 'prev_name', 'gene_group', 'gene_group_id', 'ena',
  'refseq_accession', 'ccds_id', 'uniprot_ids', 'pubmed_id', 'mgd_id', 'rgd_id', 'lsdb', 'omim_id',
  'enzyme_id', 'cd', 'rna_central_id', 'mane_select', 'lncipedia', 'gtrnadb', 'agr', 'curator_notes'
])

/** Fields (or array elements) HGNC's JSON gives as numbers. */
const NUMERIC_FIELDS: ReadonlySet<string> = new Set([
  'gene_group_id', 'pubmed_id', 'orphanet', 'homeodb', 'kznf_gene_catalog', 'mamit-trnadb'
])

function malformed (message: string): GenejobsError {
  return new GenejobsError('SOURCE_MALFORMED', `malformed HGNC TSV: ${message}`)
}

/** Splits a text stream into lines (without their `\n` or `\r\n`), the lines of each chunk of text together. */
export async function * splitLineBatches (chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let rest = ''
  for await (const chunk of chunks) {
    const text = rest + chunk
    const lines: string[] = []
    let start = 0
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      lines.push(text.charCodeAt(end - 1) === 0x0d ? text.slice(start, end - 1) : text.slice(start, end))
      start = end + 1
    }
    rest = text.slice(start)
    if (lines.length > 0) yield lines
  }
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest]
}

function convertValue (field: string, value: string, line: number): string | number {
  if (!NUMERIC_FIELDS.has(field)) return value
  const number = Number(value)
  if (value.trim() === '' || !Number.isSafeInteger(number)) {
    throw malformed(`line ${line}: ${field} value "${value.slice(0, 40)}" is not a whole number`)
  }
  return number
}

/**
 * Reads the header row of HGNC's TSV download: the column names, old names renamed to today's.
 * Throws when it lacks the columns `hgnc_id` and `symbol`.
 */
export function parseTsvHeader (line: string): string[] {
  const header = line.replace(/^\uFEFF/, '').split('\t').map((name) => RENAMED_COLUMNS[name] ?? name)
  if (!header.includes('hgnc_id') || !header.includes('symbol')) {
    throw malformed('line 1: the header row must name the columns hgnc_id and symbol (is this an HGNC TSV download?)')
  }
  return header
}

/**
 * Turns one row of HGNC's TSV download (line `lineNumber`, not empty) into a record shaped like
 * HGNC's JSON: empty cells left out, quoted `"a|b"` cells split into arrays, array and numeric
 * fields typed as the JSON has them. An unquoted cell is one value even when it holds `|` (e.g. `lsdb`).
 */
export function parseTsvRow (header: readonly string[], line: string, lineNumber: number): HgncDoc {
  const cells = line.split('\t')
  if (cells.length !== header.length) {
    throw malformed(`line ${lineNumber}: expected ${header.length} tab-separated cells as in the header, found ${cells.length}`)
  }
  const doc: Record<string, unknown> = {}
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string
    if (cell === '') continue
    const field = header[i] as string
    const quoted = cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"')
    const values = quoted ? cell.slice(1, -1).split('|') : [cell]
    const typed = values.map((value) => convertValue(field, value, lineNumber))
    doc[field] = ARRAY_FIELDS.has(field) || typed.length > 1 ? typed : typed[0]
  }
  return checkDoc(doc, `line ${lineNumber}`)
}

/** Turns HGNC's TSV download into records shaped like HGNC's JSON (see `parseTsvRow`). */
export async function * readTsvRecords (lines: AsyncIterable<string>): AsyncGenerator<HgncDoc> {
  let header: string[] | undefined
  let lineNumber = 0
  for await (const line of lines) {
    lineNumber++
    if (header === undefined) {
      header = parseTsvHeader(line)
      continue
    }
    if (line !== '') yield parseTsvRow(header, line, lineNumber)
  }
  if (header === undefined) throw malformed('the data is empty')
}
