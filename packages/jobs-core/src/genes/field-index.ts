import type { HgncDoc } from '../hgnc/json-records.js'
import { INDEXED_FIELDS, type IndexedField } from '../keys.js'
import { chromosomeOf } from './projection.js'
import { textField } from './doc-fields.js'
import type { CommandArgs } from './index-commands.js'

/** How a value is looked up: case-insensitively, surrounding spaces ignored. */
export function indexValue (value: string): string {
  return value.trim().toLowerCase()
}

/**
 * How many buckets a field index packs its values into. A field index is a hash of buckets, not of
 * values: a million small entries cost Redis far more to take in and to hold than a few thousand
 * packed ones, and a bucket of a large index holds a few dozen values (about a kilobyte).
 */
const BUCKETS = 1024

/**
 * The hash field that holds an (indexed, lower-cased) value: its bucket's number, from a hash of
 * the value; a value holding a tab or a line feed (which separate a bucket's entries) has a field of
 * its own, `=` and the value.
 */
export function indexBucket (value: string): string {
  if (value.includes('\t') || value.includes('\n')) return `=${value}`
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return String((hash >>> 0) % BUCKETS)
}

/**
 * The genes (comma-separated numeric ids) a value has in the bucket read from its hash field
 * (`indexBucket`), or null. A bucket holds `\n<value>\t<ids>` per value; `includes/index-entry.lua`
 * reads it the same way inside Redis.
 */
export function findInBucket (bucket: string, packed: string | null | undefined, value: string): string | null {
  if (packed === null || packed === undefined) return null
  if (bucket.startsWith('=')) return packed
  const needle = `\n${value}\t`
  const at = packed.indexOf(needle)
  if (at < 0) return null
  const end = packed.indexOf('\n', at + needle.length)
  return packed.slice(at + needle.length, end < 0 ? undefined : end)
}

/**
 * The value -> genes indexes of one version, built while a load reads its records: for each field
 * of `INDEXED_FIELDS`, lower-cased value -> the numeric ids of the genes having it, in source order.
 */
export class FieldIndexBuilder {
  private readonly indexes = new Map<string, Map<string, string>>(INDEXED_FIELDS.map((field) => [field, new Map()]))
  private readonly chromosomes = this.indexes.get('chromosome') as Map<string, string>

  /**
   * Indexes one gene's values of every indexed field: strings and numbers, single or in a list. Walks
   * the record's own fields (a few dozen) rather than every indexed field, the hot loop of a load.
   */
  add (id: number, doc: HgncDoc): void {
    const idText = String(id)
    for (const field in doc) {
      const index = this.indexes.get(field)
      if (index === undefined || field === 'chromosome') continue
      const value = doc[field]
      if (!Array.isArray(value)) {
        addValue(index, value, idText)
        // A withdrawn entry's symbol may carry HGNC's `~withdrawn` suffix; it is found without it too.
        if (field === 'symbol' && typeof value === 'string' && value.endsWith('~withdrawn')) addValue(index, value.slice(0, -'~withdrawn'.length), idText)
      } else if (value.length === 1) {
        addValue(index, value[0], idText)
      } else {
        // A gene is listed once per value, however often its list repeats the value.
        const seen = new Set<string>()
        for (const item of value) {
          if (typeof item !== 'string' && typeof item !== 'number') continue
          const text = indexValue(String(item))
          if (seen.has(text)) continue
          seen.add(text)
          addValue(index, text, idText)
        }
      }
    }
    const chromosome = chromosomeOf(textField(doc['location']))
    if (chromosome !== null) addValue(this.chromosomes, chromosome, idText)
  }

  /** Every indexed field. */
  fields (): IndexedField[] {
    return [...this.indexes.keys()] as IndexedField[]
  }

  /** The command writing one field's index, packed in buckets (`indexBucket`), to the hash `key` (none when no gene has the field). */
  commandsOf (field: IndexedField, key: string): CommandArgs[] {
    const buckets = new Map<string, string>()
    for (const [value, ids] of this.indexes.get(field) ?? []) {
      const bucket = indexBucket(value)
      const entry = bucket.startsWith('=') ? ids : `\n${value}\t${ids}`
      const packed = buckets.get(bucket)
      buckets.set(bucket, packed === undefined ? entry : packed + entry)
    }
    if (buckets.size === 0) return []
    const args = ['HSET', key]
    for (const [bucket, packed] of buckets) args.push(bucket, packed)
    return [args]
  }
}

/** Appends a gene to the genes of one value (a string or number; anything else is not indexed). */
function addValue (index: Map<string, string>, value: unknown, idText: string): void {
  if (typeof value !== 'string' && typeof value !== 'number') return
  const text = indexValue(String(value))
  if (text === '') return
  const ids = index.get(text)
  index.set(text, ids === undefined ? idText : `${ids},${idText}`)
}
