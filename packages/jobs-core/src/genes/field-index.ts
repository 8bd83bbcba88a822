import type { HgncDoc } from '../hgnc/json-records.js'
import { INDEXED_FIELDS, type IndexedField, type Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { chromosomeOf } from './current-version.js'
import { textField } from './doc-fields.js'

/** Index fields written per HSET while a load stores the indexes. */
const VALUES_PER_WRITE = 5000

/** How a value is looked up: case-insensitively, surrounding spaces ignored. */
export function indexValue (value: string): string {
  return value.trim().toLowerCase()
}

/** A field's values in one record, as text: strings and numbers, single or in a list. */
function valuesOf (doc: HgncDoc, field: IndexedField): string[] {
  if (field === 'chromosome') {
    const chromosome = chromosomeOf(textField(doc['location']))
    return chromosome === null ? [] : [chromosome]
  }
  const value = doc[field]
  const values = Array.isArray(value) ? value as unknown[] : [value]
  const texts = values.filter((item) => typeof item === 'string' || typeof item === 'number').map(String)
  // A withdrawn entry's symbol may carry HGNC's `~withdrawn` suffix; it is found without it too.
  if (field === 'symbol') for (const text of [...texts]) if (text.endsWith('~withdrawn')) texts.push(text.slice(0, -'~withdrawn'.length))
  return texts
}

/**
 * The value -> genes indexes of one version, built while a load reads its records: for each field
 * of `INDEXED_FIELDS`, lower-cased value -> the numeric ids of the genes having it, in source order.
 */
export class FieldIndexBuilder {
  private readonly indexes = new Map<IndexedField, Map<string, string>>(INDEXED_FIELDS.map((field) => [field, new Map()]))

  /** Indexes one gene's values of every indexed field. */
  add (id: number, doc: HgncDoc): void {
    const idText = String(id)
    for (const [field, index] of this.indexes) {
      for (const value of new Set(valuesOf(doc, field).map(indexValue))) {
        if (value === '') continue
        const ids = index.get(value)
        index.set(value, ids === undefined ? idText : `${ids},${idText}`)
      }
    }
  }

  /** Writes every index to its hash (staging keys: they expire after `ttlMs` unless swapped in). */
  async write (client: RedisClient, keys: Keys['genes'], version: string, ttlMs: number): Promise<void> {
    const pending: Array<Promise<unknown>> = []
    for (const [field, index] of this.indexes) {
      const key = keys.fieldIndex(version, field)
      let fields: Record<string, string> = {}
      let count = 0
      for (const [value, ids] of index) {
        fields[value] = ids
        if (++count % VALUES_PER_WRITE === 0) {
          pending.push(handledLater(client.hSet(key, fields)))
          fields = {}
        }
      }
      if (Object.keys(fields).length > 0) pending.push(handledLater(client.hSet(key, fields)))
      if (count > 0) pending.push(handledLater(client.pExpire(key, ttlMs)))
    }
    await Promise.all(pending)
  }
}

/** Marks a promise as handled now (its caller awaits it later), so an early rejection is not fatal. */
function handledLater<T> (promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
