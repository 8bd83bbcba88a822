import { createHash } from 'node:crypto'
import { GenejobsError } from '../errors.js'
import { openHgncSource } from './hgnc-source.js'
import { parseRecord, splitJsonRecordBatches, type HgncDoc } from './json-records.js'
import { readTsvRecords, splitLineBatches } from './tsv-records.js'

/** One gene as read from a source: its JSON text as stored and served, and the parsed object. */
export interface GeneRecord {
  /** The record's JSON exactly as a JSON source had it (a TSV row is converted to JSON). */
  raw: string
  doc: HgncDoc
}

/**
 * Gene records read from a source that can say, once they have been read to the end, which bytes
 * they came from.
 */
export interface HashedRecords extends AsyncIterable<GeneRecord> {
  /** The hex SHA-256 of the source's bytes as read (before any gunzip); undefined until the end is read. */
  readonly sha256: string | undefined
  /**
   * The same source split but not parsed (`splitHgncText`), for a loader that parses on another
   * thread. A source is read once: either this or the records.
   */
  pieces: () => Promise<HgncPieces>
}

/** The formats HGNC publishes its complete set in. */
export type HgncFormat = 'json' | 'tsv'

/**
 * A source's text split but not parsed, a batch per chunk read: a JSON source's record texts, or a
 * TSV source's lines, its header row first.
 */
export interface HgncPieces {
  format: HgncFormat
  batches: AsyncIterable<string[]>
}

async function * decodeUtf8 (bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let offset = 0
  try {
    for await (const chunk of bytes) {
      const text = decoder.decode(chunk, { stream: true })
      offset += chunk.length
      if (text !== '') yield text
    }
    const tail = decoder.decode()
    if (tail !== '') yield tail
  } catch (err) {
    if (err instanceof TypeError && /encoded data was not valid/i.test(err.message)) {
      throw new GenejobsError('SOURCE_MALFORMED', `the source is not valid UTF-8 text (near byte ${offset})`, { cause: err })
    }
    throw err
  }
}

/** Peeks at the first non-blank character to tell JSON (`{` or `[`) from TSV. */
async function detectFormat (text: AsyncIterator<string>): Promise<{ format: HgncFormat, first: string } | undefined> {
  let first = ''
  for (;;) {
    const next = await text.next()
    if (next.done === true) return first.trim() === '' ? undefined : { format: 'tsv', first }
    first += next.value
    const start = first.replace(/^\uFEFF/, '').trimStart()
    if (start !== '') return { format: start.startsWith('{') || start.startsWith('[') ? 'json' : 'tsv', first }
  }
}

/** Splits a text stream of either format (told from the content) into record texts or lines. */
export async function splitHgncText (text: AsyncIterable<string>): Promise<HgncPieces> {
  const iterator = text[Symbol.asyncIterator]()
  const detected = await detectFormat(iterator)
  if (detected === undefined) throw new GenejobsError('SOURCE_MALFORMED', 'the source is empty')
  const all = (async function * () {
    yield detected.first
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value
  })()
  return { format: detected.format, batches: detected.format === 'json' ? splitJsonRecordBatches(all) : splitLineBatches(all) }
}

/** Reads a text stream of either format as gene records, telling the format from the content. */
export function readHgncText (text: AsyncIterable<string>): AsyncIterable<GeneRecord> & { pieces: () => Promise<HgncPieces> } {
  return {
    [Symbol.asyncIterator]: () => parseHgncPieces(splitHgncText(text)),
    pieces: async () => await splitHgncText(text)
  }
}

/** Parses split pieces into gene records. */
async function * parseHgncPieces (split: Promise<HgncPieces>): AsyncGenerator<GeneRecord> {
  const { format, batches } = await split
  if (format === 'json') {
    let count = 0
    for await (const raws of batches) {
      for (const raw of raws) {
        count++
        yield { raw, doc: parseRecord(raw, `record ${count}`) }
      }
    }
  } else {
    const lines = (async function * () { for await (const batch of batches) yield * batch })()
    for await (const doc of readTsvRecords(lines)) yield { raw: JSON.stringify(doc), doc }
  }
}

/**
 * Streams the gene records of an HGNC complete set (JSON or TSV, plain or gzip) from a URL or a
 * file, hashing the bytes as they are read: once the records are read to the end, `sha256` is the
 * SHA-256 of the source as downloaded. Errors are `GenejobsError`s: `SOURCE_UNREACHABLE` when it
 * cannot be read, `SOURCE_MALFORMED` with the record or line number when its content is wrong.
 */
export function readHgncSource (source: string, signal?: AbortSignal): HashedRecords {
  const hash = createHash('sha256')
  let sha256: string | undefined
  const text = (async function * () {
    const bytes = await openHgncSource(source, signal, (chunk) => hash.update(chunk))
    try {
      yield * decodeUtf8(bytes)
    } catch (err) {
      if (err instanceof GenejobsError) throw err
      throw new GenejobsError('SOURCE_UNREACHABLE', `reading HGNC source ${source} failed: ${(err as Error).message}`, { cause: err })
    }
    sha256 = hash.digest('hex')
  })()
  const read = readHgncText(text)
  return {
    [Symbol.asyncIterator]: () => read[Symbol.asyncIterator](),
    pieces: read.pieces,
    get sha256 () { return sha256 }
  }
}
