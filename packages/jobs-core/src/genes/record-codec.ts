/**
 * The compact encoding of stored gene records. A record's JSON text is stored with its most common
 * pieces (`,"locus_type":"gene with protein product"`, `,"date_modified":"`, `"ENSG00000`, …)
 * replaced by one- or two-character codes, listed once per data version in its codebook. Decoding
 * puts the exact pieces back, so a record reads byte for byte as sourced: about half the bytes, for
 * one pass over its characters per read.
 *
 * The codes are control characters, which a JSON text never holds unescaped (only tab, line feed
 * and carriage return may stand between tokens): 27 one-character codes, and 95 two-character
 * codes made of `\x1f` and a printable ASCII character. A text that holds a code character anyway
 * (not JSON, so never a loaded record) is stored verbatim behind a `\x00`.
 */
import type { HgncDoc } from '../hgnc/json-records.js'

/** The one-character codes: every control character but tab, line feed, carriage return and the escape. */
const SINGLE_CODES: readonly string[] = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1))
  .filter((code) => !'\t\n\r\x1f'.includes(code))

/** The first character of every two-character code; the second is printable ASCII. */
const ESCAPE = '\x1f'
const DOUBLE_CODES: readonly string[] = Array.from({ length: 95 }, (_, i) => ESCAPE + String.fromCharCode(0x20 + i))

/** How many pieces a codebook holds at most. */
export const CODEBOOK_SIZE = SINGLE_CODES.length + DOUBLE_CODES.length

/** Marks a text stored verbatim (it held a code character). */
const VERBATIM = '\x00'

/** Any character that a text must not hold to be encoded. */
// eslint-disable-next-line no-control-regex -- control characters are the codes
const CODE_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f]/

/** The code of the piece at position `index` of a codebook: the most frequent pieces get one character. */
function codeOf (index: number): string {
  return index < SINGLE_CODES.length ? SINGLE_CODES[index] as string : DOUBLE_CODES[index - SINGLE_CODES.length] as string
}

/** Shortest piece worth a code. */
const MIN_PIECE = 3

/** A string value at most this long is also a candidate together with its field name. */
const MAX_PAIRED_VALUE = 40

/**
 * Builds a codebook from a sample of records (e.g. the first batch of a load): candidate pieces are
 * each field's name with what opens its value (`,"status":"`), short values with their field name
 * (`,"status":"Approved"`), quoted string values, the letters and zeros that open an identifier
 * (`"ENSG00000`) and the leading digits of long numbers; the pieces that save most bytes in the
 * sample win. Pieces the sample does not hold are harmless: a record without them is stored as it is.
 */
export function buildCodebook (docs: Iterable<HgncDoc>): string[] {
  const counts = new Map<string, number>()
  const count = (piece: string) => { if (piece.length >= MIN_PIECE) counts.set(piece, (counts.get(piece) ?? 0) + 1) }
  for (const doc of docs) {
    let separator = '{'
    for (const [field, value] of Object.entries(doc)) {
      const name = `${separator}${JSON.stringify(field)}:`
      separator = ','
      const first: unknown = Array.isArray(value) ? value[0] : value
      count(`${name}${Array.isArray(value) ? '[' : ''}${typeof first === 'string' ? '"' : ''}`)
      if (typeof value === 'string' && value.length <= MAX_PAIRED_VALUE) count(`${name}${JSON.stringify(value)}`)
      for (const item of Array.isArray(value) ? value as unknown[] : [value]) {
        if (typeof item === 'string') {
          count(JSON.stringify(item))
          count(`"${/^[^0-9"\\]*0*/.exec(item)?.[0] ?? ''}`)
        } else if (typeof item === 'number' && String(item).length >= 15) {
          count(String(item).slice(0, 12))
        }
      }
    }
  }
  return [...counts]
    .filter(([piece, times]) => times > 1 && !CODE_CHARACTER.test(piece))
    .map(([piece, times]): [string, number] => [piece, times * (piece.length - 2)])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, CODEBOOK_SIZE)
    .map(([piece]) => piece)
}

/** Escapes a piece for a regular expression. */
function literal (piece: string): string {
  return piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** Encodes records with one codebook (the version's, written beside its records). */
export class RecordEncoder {
  private readonly pieces: RegExp | undefined
  private readonly codes = new Map<string, string>()

  constructor (codebook: readonly string[]) {
    codebook.forEach((piece, i) => this.codes.set(piece, codeOf(i)))
    // Longest first: at each position the regular expression takes the first alternative that matches.
    const alternatives = [...codebook].sort((a, b) => b.length - a.length).map(literal)
    this.pieces = alternatives.length === 0 ? undefined : new RegExp(alternatives.join('|'), 'g')
  }

  /** The stored form of one record's text. */
  encode (text: string): string {
    if (CODE_CHARACTER.test(text)) return VERBATIM + text
    return this.pieces === undefined ? text : text.replace(this.pieces, (piece) => this.codes.get(piece) as string)
  }
}

/** Where a code's piece sits in a decoder's table: one-character codes by their character, two-character ones after 128. */
function slotOf (code: string): number {
  return code.length === 1 ? code.charCodeAt(0) : 128 + code.charCodeAt(1)
}

/** Decodes records stored with one codebook. */
export class RecordDecoder {
  private readonly pieces: string[] = new Array<string>(256).fill('')

  constructor (codebook: readonly string[]) {
    codebook.forEach((piece, i) => { this.pieces[slotOf(codeOf(i))] = piece })
  }

  /**
   * A record's text exactly as it was encoded. A plain loop over the characters: it runs on every
   * read of a record (a cached `GET /genes/:id` too), and is about twice as fast as a replace.
   */
  decode (stored: string): string {
    if (stored.startsWith(VERBATIM)) return stored.slice(1)
    let text = ''
    let from = 0
    for (let i = 0; i < stored.length; i++) {
      const char = stored.charCodeAt(i)
      if (char >= 0x20 || char === 0x09 || char === 0x0a || char === 0x0d) continue
      text += stored.slice(from, i)
      text += this.pieces[char === 0x1f ? 128 + stored.charCodeAt(++i) : char]
      from = i + 1
    }
    return from === 0 ? stored : text + stored.slice(from)
  }
}
