import { Readable, pipeline as pipeStreams } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { parse } from 'csv-parse'
import { BadRequestError, UnsupportedUploadTypeError, UploadTooLargeError } from '../http-errors.js'

/** The limits of one uploaded file. */
export interface UploadLimits {
  /** The most bytes, as uploaded and once decompressed. */
  maxBytes: number
  /** The most identifiers. */
  maxIdentifiers: number
}

/** How to read a file: the limits, which column, whether the first row is a header. */
export interface ReadOptions extends UploadLimits {
  /** The `column` form field as sent: a header name or a 1-based column number; the first column without it. */
  column?: string
  /** The `header` form field, when sent; without it the first row is a header when `column` names one or its cell looks like a column title. */
  header?: boolean
  /** Words that, as the first row's cell, mark it as a header (besides the usual titles such as `symbol` or `gene`). */
  headerHints?: readonly string[]
}

/** What a file held: its identifiers, and how it was read (the job shows this instead of the list). */
export interface IdentifierFile {
  ids: string[]
  /** Bytes as uploaded. */
  bytes: number
  gzip: boolean
  format: 'text' | 'csv' | 'tsv'
  /** Whether the first row was taken as a header (and skipped). */
  header: boolean
  /** The column read: its header name when there is a header, else its 1-based number. */
  column: string | number
}

/** Formats `n` bytes as "20 MB (20,971,520 bytes)". */
export function formatBytes (n: number): string {
  return `${Math.round(n / 1048576)} MB (${n.toLocaleString('en-US')} bytes)`
}

/** 413: an uploaded file past `maxBytes` as sent. */
export function fileTooLarge (maxBytes: number): Error {
  return new UploadTooLargeError(`the file is larger than the upload limit of ${formatBytes(maxBytes)}`)
}

/** First bytes of file types that are not text (after any gzip layer), for a clear 415. */
const NOT_TEXT: ReadonlyArray<[magic: Buffer, what: string]> = [
  [Buffer.from('PK\x03\x04', 'latin1'), 'a ZIP archive (an .xlsx or .zip file)'],
  [Buffer.from('d0cf11e0a1b11ae1', 'hex'), 'an OLE2 document (an .xls or .doc file)'],
  [Buffer.from('%PDF'), 'a PDF document'],
  [Buffer.from('89504e47', 'hex'), 'a PNG image'],
  [Buffer.from('ffd8ff', 'hex'), 'a JPEG image'],
  [Buffer.from('GIF8'), 'a GIF image'],
  [Buffer.from('BZh'), 'a bzip2 file'],
  [Buffer.from('fd377a585a00', 'hex'), 'an xz file'],
  [Buffer.from('377abcaf271c', 'hex'), 'a 7-Zip archive'],
  [Buffer.from('28b52ffd', 'hex'), 'a Zstandard file']
]
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b])
const SUPPORTED = 'send plain text (one identifier per line), CSV or TSV, optionally gzipped'

/** Column titles that mark a first row as a header, compared lower-cased with `_`/`-` as spaces. */
const HEADER_WORDS = new Set(['gene', 'genes', 'symbol', 'symbols', 'gene symbol', 'gene symbols', 'approved symbol', 'hgnc symbol',
  'input', 'inputs', 'id', 'ids', 'identifier', 'identifiers', 'gene id', 'gene ids', 'gene name', 'name', 'hgnc id'])
const normalise = (cell: string) => cell.trim().toLowerCase().replace(/[\s_-]+/g, ' ')

/** Refuses a declared part type that cannot be text (an image, a PDF, an archive other than gzip). */
export function checkDeclaredType (mimetype: string): void {
  const type = mimetype.split(';')[0]?.trim().toLowerCase() ?? ''
  if (/^(image|audio|video|font|model)\//.test(type) || ['application/pdf', 'application/zip', 'application/x-zip-compressed'].includes(type) ||
    type.startsWith('application/vnd.openxmlformats') || type.startsWith('application/vnd.oasis.opendocument')) {
    throw new UnsupportedUploadTypeError(`the file's Content-Type ${JSON.stringify(type.slice(0, 80))} is not supported: ${SUPPORTED}`)
  }
}

/** Reads until at least `n` bytes have come (or the stream ended); returns them and the rest. */
async function peek (source: AsyncIterator<Buffer>, n: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let length = 0
  while (length < n) {
    const next = await source.next()
    if (next.done === true) break
    chunks.push(next.value)
    length += next.value.length
  }
  return Buffer.concat(chunks)
}

/** `head`, then the rest of `rest`; stopping early ends (destroys) `rest` too. */
async function * prepend (head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value
  } finally {
    await rest.return?.()
  }
}

/** Checks the (decompressed) bytes: size, known binary types, NUL bytes, UTF-8; yields text. */
function textOf (maxBytes: number, gzip: boolean) {
  return async function * text (source: AsyncIterable<Buffer>): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true })
    let bytes = 0
    const binary = () => new BadRequestError(`the file is binary${gzip ? ' once decompressed' : ''} (not UTF-8 text): ${SUPPORTED}`)
    for await (const chunk of source) {
      if (bytes === 0) {
        const type = NOT_TEXT.find(([magic]) => chunk.subarray(0, magic.length).equals(magic))
        if (type !== undefined) throw new UnsupportedUploadTypeError(`the file is ${type[1]}${gzip ? ' (inside gzip)' : ''}, which is not supported: ${SUPPORTED}`)
      }
      bytes += chunk.length
      if (bytes > maxBytes) throw new UploadTooLargeError(`the file is larger than the upload limit of ${formatBytes(maxBytes)} once decompressed`)
      if (chunk.includes(0)) throw binary()
      try {
        yield decoder.decode(chunk, { stream: true })
      } catch {
        throw binary()
      }
    }
    let tail: string
    try {
      tail = decoder.decode()
    } catch {
      throw binary()
    }
    if (tail !== '') yield tail
  }
}

/** Parses text as CSV, TSV or lines (told apart by the first line's tabs and commas) into records. */
function recordsOf (found: { format: IdentifierFile['format'] }) {
  return async function * records (source: AsyncIterable<string>): AsyncGenerator<string[]> {
    const texts = source[Symbol.asyncIterator]()
    let head = ''
    let next = await texts.next()
    while (next.done !== true) {
      head += next.value
      if (/[\r\n]/.test(head) || head.length > 65536) break
      next = await texts.next()
    }
    const firstLine = head.split(/\r?\n|\r/, 1)[0] ?? ''
    found.format = firstLine.includes('\t') ? 'tsv' : firstLine.includes(',') ? 'csv' : 'text'
    async function * rest (): AsyncGenerator<string> {
      if (head !== '') yield head
      if (next.done === true) return
      for (next = await texts.next(); next.done !== true; next = await texts.next()) yield next.value
    }
    const parser = parse({ delimiter: found.format === 'csv' ? ',' : '\t', bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true })
    // Errors reach the iteration below through `parser` (pipeline destroys it with them).
    const parsed = pipeStreams(Readable.from(rest()), parser, () => {})
    try {
      for await (const record of parsed) yield record as string[]
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (typeof code === 'string' && code.startsWith('CSV_')) throw new BadRequestError(`the file is not valid ${found.format === 'text' ? 'text' : found.format.toUpperCase()}: ${(err as Error).message}`)
      throw err
    }
  }
}

/**
 * Reads the identifiers of an uploaded file as a stream, within the limits: gzip (told by its magic
 * bytes) is decompressed on the way, the text must be UTF-8 without NUL bytes, and CSV/TSV/lines are
 * parsed by csv-parse; only the chosen column's non-empty cells are kept. Throws the 400, 413 or
 * 415 coded errors that say what is wrong; the caller stores nothing then.
 */
export async function readIdentifiers (file: Readable, options: ReadOptions): Promise<IdentifierFile> {
  const raw = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  file.once('limit', () => file.destroy(fileTooLarge(options.maxBytes)))
  const head = await peek(raw, GZIP_MAGIC.length)
  const gzip = head.subarray(0, 2).equals(GZIP_MAGIC)
  let bytes = 0
  const counted = async function * (source: AsyncIterable<Buffer>) { for await (const chunk of source) { bytes += chunk.length; yield chunk } }
  const found: { format: IdentifierFile['format'] } = { format: 'text' }
  const ids: string[] = []
  let header = false
  let column: string | number = 1
  let first = true
  let index = 0
  const collect = async (records: AsyncIterable<string[]>) => {
    for await (const record of records) {
      if (first) {
        first = false
        ;({ header, column, index } = chooseColumn(record, options))
        if (header) continue
      }
      const cell = record[index]
      if (cell === undefined || cell === '') continue
      if (ids.length >= options.maxIdentifiers) throw new UploadTooLargeError(`the file has more than ${options.maxIdentifiers.toLocaleString('en-US')} identifiers, the upload limit`)
      ids.push(cell)
    }
  }
  const source = Readable.from(prepend(head, raw))
  try {
    if (gzip) await pipeline(source, counted, createGunzip(), textOf(options.maxBytes, gzip), recordsOf(found), collect)
    else await pipeline(source, counted, textOf(options.maxBytes, gzip), recordsOf(found), collect)
  } catch (err) {
    if (typeof (err as { errno?: unknown }).errno === 'number' && String((err as { code?: unknown }).code).startsWith('Z_')) {
      throw new BadRequestError(`the file starts like gzip but is not valid gzip: ${(err as Error).message}`)
    }
    throw err
  }
  if (bytes === 0) throw new BadRequestError('the file is empty: send one identifier per line, or a CSV or TSV file')
  if (ids.length === 0) throw new BadRequestError(`the file has no identifiers${header ? ` under its header in column ${JSON.stringify(column)}` : ` in column ${column}`}`)
  return { ids, bytes, gzip, format: found.format, header, column }
}

/** Picks the column (and whether the first row is a header) from the first row and the options. */
function chooseColumn (first: string[], options: ReadOptions): { header: boolean, column: string | number, index: number } {
  const wanted = options.column?.trim()
  if (wanted !== undefined && wanted !== '' && !/^\d+$/.test(wanted)) {
    const index = first.findIndex((cell) => cell.toLowerCase() === wanted.toLowerCase())
    if (index === -1) {
      throw new BadRequestError(`column ${JSON.stringify(wanted)} is not in the file's header; the header names are ${first.map((cell) => JSON.stringify(cell)).join(', ')}`)
    }
    return { header: true, column: first[index] as string, index }
  }
  const number = wanted === undefined || wanted === '' ? 1 : Number(wanted)
  if (number < 1) throw new BadRequestError('column must be a header name or a column number from 1')
  if (number > first.length) throw new BadRequestError(`column ${number} is past the file's last column: its first row has ${first.length} column${first.length === 1 ? '' : 's'}`)
  const cell = first[number - 1] as string
  const hints = new Set([...HEADER_WORDS, ...(options.headerHints ?? []).map(normalise)])
  const header = options.header ?? hints.has(normalise(cell))
  return { header, column: header ? cell : number, index: number - 1 }
}
