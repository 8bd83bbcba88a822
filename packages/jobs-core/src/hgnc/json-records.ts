import { GenejobsError } from '../errors.js'

const OPEN_OBJECT = 0x7b // {
const CLOSE_OBJECT = 0x7d // }
const OPEN_ARRAY = 0x5b // [
const CLOSE_ARRAY = 0x5d // ]
const QUOTE = 0x22 // "
const BACKSLASH = 0x5c // \
const COLON = 0x3a // :
const COMMA = 0x2c // ,

function isWhitespace (code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

/** How many backslashes stand in a row ending at `end` (inclusive). */
function trailingBackslashes (text: string, end: number): number {
  let count = 0
  while (end - count >= 0 && text.charCodeAt(end - count) === BACKSLASH) count++
  return count
}

function malformed (message: string): GenejobsError {
  return new GenejobsError('SOURCE_MALFORMED', `malformed HGNC JSON: ${message}`)
}

/**
 * Splits HGNC's JSON download into the raw text of each gene record, streaming.
 *
 * Accepts `{"response": {"docs": [ {...}, ... ]}}` (HGNC's download and REST shape) or a bare array
 * of records. Each record comes out as the exact characters the source had, so values a JavaScript
 * number cannot hold (Solr's 64-bit `_version_`) survive untouched; only one record is buffered at a
 * time. Written by hand because the streaming JSON libraries turn numbers into doubles.
 *
 * The records of each chunk of text come out together (a loader takes them by the thousand: one
 * step per chunk rather than per record). Inside a record only its strings and brackets are
 * followed; whether the record is valid JSON is for its parser to say.
 */
export async function * splitJsonRecordBatches (chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  // Containers currently open, outermost first: '{' or '['. For objects, the key last seen.
  const containers: number[] = []
  const keys: Array<string | undefined> = []
  let inString = false
  let stringStart = -1
  let pendingKey: string | undefined // last string closed inside an object, maybe a key
  let recordsDepth = -1 // depth of the docs array once found
  let recordStart = -1 // index in `text` where the current record began
  let recordCount = 0
  let expectRecord = true // in the docs array: a record may come next (after '[' or ',')
  let finished = false
  let text = ''

  for await (const chunk of chunks) {
    const offset = text.length
    const records: string[] = []
    text += chunk
    for (let i = offset; i < text.length; i++) {
      if (recordStart >= 0 && !inString) {
        i = skipInRecord(text, i, containers, keys)
        if (i === text.length) break
      }
      if (inString) {
        // Jump to the next quote; it ends the string unless an odd number of backslashes precede it
        // (the whole string stays in `text` across chunks, so the count is always complete).
        const quote = text.indexOf('"', i)
        if (quote < 0) break
        i = quote
        if (trailingBackslashes(text, quote - 1) % 2 === 1) continue
        inString = false
        if (recordStart < 0 && stringStart >= 0 && containers.at(-1) === OPEN_OBJECT) pendingKey = text.slice(stringStart, i)
        continue
      }
      const code = text.charCodeAt(i)
      if (isWhitespace(code)) continue
      if (finished) throw malformed(`unexpected content after the end of the document: "${text.slice(i, i + 20)}"`)
      const depth = containers.length
      if (recordStart < 0 && depth === recordsDepth && recordsDepth >= 0) {
        // Between records in the docs array: only '{', ',' and the closing ']' may stand here.
        if (code === OPEN_OBJECT && expectRecord) {
          recordStart = i
          expectRecord = false
        } else if (code === COMMA && !expectRecord) {
          expectRecord = true
          continue
        } else if (code === CLOSE_ARRAY && (!expectRecord || recordCount === 0)) {
          recordsDepth = -2 // done; the rest of the document is skipped
        } else {
          throw malformed(`expected ${expectRecord ? 'a record object' : '"," or "]"'} after record ${recordCount}, found "${text[i] ?? ''}"`)
        }
      }
      if (code === QUOTE) {
        inString = true
        stringStart = i + 1
        continue
      }
      if (code === COLON) {
        if (containers.at(-1) === OPEN_OBJECT) keys[depth - 1] = pendingKey
        continue
      }
      if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
        if (depth === 0 && recordsDepth === -1 && code === OPEN_ARRAY) recordsDepth = 1 // bare array
        if (code === OPEN_ARRAY && recordsDepth === -1 && depth === 2 && keys[0] === 'response' && keys[1] === 'docs') recordsDepth = 3
        containers.push(code)
        keys.push(undefined)
        continue
      }
      if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
        const open = containers.pop()
        keys.pop()
        if (open !== (code === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) {
          throw malformed(`unbalanced "${text[i] ?? ''}" ${recordStart >= 0 ? `in record ${recordCount + 1}` : `after record ${recordCount}`}`)
        }
        if (recordStart >= 0 && containers.length === recordsDepth) {
          recordCount++
          records.push(text.slice(recordStart, i + 1))
          recordStart = -1
        }
        if (containers.length === 0) finished = true
      }
    }
    if (records.length > 0) yield records
    // Keep only what is still needed: an unfinished record, or an unfinished key outside records.
    const keepFrom = recordStart >= 0 ? recordStart : inString ? stringStart : text.length
    text = text.slice(keepFrom)
    if (recordStart >= 0) recordStart -= keepFrom
    stringStart -= keepFrom
  }
  if (recordStart >= 0) throw malformed(`the data ends inside record ${recordCount + 1} (truncated download?)`)
  if (recordsDepth === -1) throw malformed('no records found: expected {"response": {"docs": [...]}} or an array of records')
  if (!finished) throw malformed(`the data ends after record ${recordCount} before the document is closed (truncated download?)`)
}

/**
 * Inside a record, from `i`: steps over whole strings and everything but brackets, pushing the
 * brackets that open. Returns where the general scan takes over: a closing bracket, a string that
 * does not end in `text` yet, or the end of `text`.
 */
function skipInRecord (text: string, i: number, containers: number[], keys: Array<string | undefined>): number {
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      let quote = text.indexOf('"', i + 1)
      while (quote >= 0 && trailingBackslashes(text, quote - 1) % 2 === 1) quote = text.indexOf('"', quote + 1)
      if (quote < 0) return i
      i = quote
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      containers.push(code)
      keys.push(undefined)
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      return i
    }
  }
  return i
}

/** A parsed HGNC record: the JSON object with at least `hgnc_id` and `symbol`. */
export type HgncDoc = Record<string, unknown> & { hgnc_id: string, symbol: string }

/**
 * Parses one raw record and checks the fields genejobs relies on. `position` is how the error
 * message says where the record was (e.g. "record 17" or "line 18").
 */
export function parseRecord (raw: string, position: string): HgncDoc {
  let doc: unknown
  try {
    doc = JSON.parse(raw)
  } catch (err) {
    throw malformed(`${position} is not valid JSON: ${(err as Error).message}`)
  }
  return checkDoc(doc, position)
}

/** Checks that a record is an object with a valid `hgnc_id` and a `symbol`. */
export function checkDoc (doc: unknown, position: string): HgncDoc {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed(`${position} is not an object`)
  const record = doc as Record<string, unknown>
  if (typeof record['hgnc_id'] !== 'string' || !/^HGNC:[1-9][0-9]{0,8}$/.test(record['hgnc_id'])) {
    throw malformed(`${position}: hgnc_id ${JSON.stringify(record['hgnc_id'])} is missing or not of the form HGNC:<number>`)
  }
  if (typeof record['symbol'] !== 'string' || record['symbol'] === '') {
    throw malformed(`${position} (${record['hgnc_id']}): symbol is missing or empty`)
  }
  return record as HgncDoc
}
