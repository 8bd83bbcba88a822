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

/** The field names of the numbered buckets, made once. */
const BUCKET_NAMES: readonly string[] = Array.from({ length: BUCKETS }, (_, i) => String(i))

/**
 * The number of the bucket that holds an (indexed, lower-cased) value, from a hash of the value,
 * or -1 for a value holding a tab or a line feed (which separate a bucket's entries): such a value
 * has a hash field of its own (`indexBucket`).
 */
function bucketNumber (value: string): number {
  if (value.includes('\t') || value.includes('\n')) return -1
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return (hash >>> 0) % BUCKETS
}

/**
 * The hash field that holds an (indexed, lower-cased) value: its bucket's number, or `=` and the
 * value for a value holding a tab or a line feed (see `bucketNumber`).
 */
export function indexBucket (value: string): string {
  const bucket = bucketNumber(value)
  return bucket < 0 ? `=${value}` : BUCKET_NAMES[bucket] as string
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

/** One field's (value, gene) pairs in source order: `values[i]` is lower-cased, `ids[i]` the numeric id as text. */
interface FieldEntries {
  values: string[]
  ids: string[]
}

/**
 * The value -> genes indexes of one version, built while a load reads its records: for each field
 * of `INDEXED_FIELDS`, lower-cased value -> the numeric ids of the genes having it, in source order.
 * Records only add (value, gene) pairs to arrays; the pairs are grouped by value one bucket at a
 * time when the commands are built, each bucket's few dozen values found by a scan rather than in
 * one map of tens of thousands per field: about a fifth less CPU for the real set's indexes.
 */
export class FieldIndexBuilder {
  private readonly entries = new Map<string, FieldEntries>(INDEXED_FIELDS.map((field) => [field, { values: [], ids: [] }]))
  private readonly chromosomes = this.entries.get('chromosome') as FieldEntries

  /**
   * Indexes one gene's values of every indexed field: strings and numbers, single or in a list. Walks
   * the record's own fields (a few dozen) rather than every indexed field.
   */
  add (id: number, doc: HgncDoc): void {
    const idText = String(id)
    for (const field in doc) {
      const entries = this.entries.get(field)
      if (entries === undefined || field === 'chromosome') continue
      const value = doc[field]
      if (!Array.isArray(value)) {
        addValue(entries, value, idText)
        // A withdrawn entry's symbol may carry HGNC's `~withdrawn` suffix; it is found without it too.
        if (field === 'symbol' && typeof value === 'string' && value.endsWith('~withdrawn')) addValue(entries, value.slice(0, -'~withdrawn'.length), idText)
      } else if (value.length === 1) {
        addValue(entries, value[0], idText)
      } else {
        // A gene is listed once per value, however often its list repeats the value.
        const first = entries.values.length
        for (const item of value) {
          if (typeof item !== 'string' && typeof item !== 'number') continue
          const text = indexValue(String(item))
          if (!entries.values.includes(text, first)) addValue(entries, text, idText)
        }
      }
    }
    const chromosome = chromosomeOf(textField(doc['location']))
    if (chromosome !== null) addValue(this.chromosomes, chromosome, idText)
  }

  /** Every indexed field. */
  fields (): IndexedField[] {
    return [...this.entries.keys()] as IndexedField[]
  }

  /**
   * The command writing one field's index, packed in buckets (`indexBucket`), to the hash `key`
   * (none when no gene has the field). Buckets, and values within a bucket, come in the order of
   * their first gene.
   */
  commandsOf (field: IndexedField, key: string): CommandArgs[] {
    const { values, ids } = this.entries.get(field) ?? { values: [], ids: [] }
    if (values.length === 0) return []
    // Each bucket's distinct values and their genes, in the order the buckets were first met. A
    // bucket holds a few dozen values, so finding one by a scan beats a map of all the field's values.
    const numbered = new Array<Bucket | undefined>(BUCKETS)
    const order: Bucket[] = []
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string
      const number = bucketNumber(value)
      let bucket = number < 0 ? order.find((own) => own.name === `=${value}`) : numbered[number]
      if (bucket === undefined) {
        bucket = { name: number < 0 ? `=${value}` : BUCKET_NAMES[number] as string, values: [], genes: [] }
        if (number >= 0) numbered[number] = bucket
        order.push(bucket)
      }
      const at = bucket.values.indexOf(value)
      if (at < 0) {
        bucket.values.push(value)
        bucket.genes.push(ids[i] as string)
      } else {
        bucket.genes[at] += `,${ids[i] as string}`
      }
    }
    const args = ['HSET', key]
    for (const { name, values: distinct, genes } of order) {
      if (name.startsWith('=')) {
        args.push(name, genes[0] as string)
        continue
      }
      let packed = ''
      for (let i = 0; i < distinct.length; i++) packed += `\n${distinct[i] as string}\t${genes[i] as string}`
      args.push(name, packed)
    }
    return [args]
  }
}

/** One bucket of a field index being packed: its hash field, and its distinct values with their genes. */
interface Bucket {
  name: string
  values: string[]
  genes: string[]
}

/** Adds a gene to the genes of one value (a string or number; anything else is not indexed). */
function addValue (entries: FieldEntries, value: unknown, idText: string): void {
  if (typeof value !== 'string' && typeof value !== 'number') return
  const text = indexValue(typeof value === 'string' ? value : String(value))
  if (text === '') return
  entries.values.push(text)
  entries.ids.push(idText)
}
