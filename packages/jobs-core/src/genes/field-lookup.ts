import { Command } from '../commands/index.js'
import type { IndexedField, Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { noData, readCurrentFields } from './current-version.js'
import { findInBucket, indexBucket, indexValue } from './field-index.js'
import type { RecordReader } from './record-reader.js'

const fetchRecordsCommand = new Command('fetch-records-1')

/** Values looked up per script call: Lua's unpack() takes a few thousand values at most. */
const VALUES_PER_READ = 2000

/**
 * The records (JSON exactly as sourced, in source order) of the genes whose `field` has `value`,
 * case-insensitively, in the current version: one index read, no key scans. Throws `NO_DATA`.
 */
export async function fetchRecords (client: RedisClient, keys: Keys['genes'], reader: RecordReader, field: IndexedField, value: string): Promise<string[]> {
  const indexSuffix = keys.fieldIndexSuffix(field)
  const text = indexValue(value)
  const reply = await fetchRecordsCommand.run(client, [keys.current], [keys.versionPrefix, indexSuffix, keys.versionSuffix.records, indexBucket(text), text])
  if (reply === null || reply === false) throw noData()
  const [version, stored] = reply as [string, string[]]
  return stored.length === 0 ? [] : await reader.decodeAll(version, stored)
}

/**
 * For each value, in input order, the numeric ids of the genes whose `field` has it
 * (case-insensitively; [] for none), in the current version. Throws `NO_DATA`.
 */
export async function lookupField (client: RedisClient, keys: Keys['genes'], field: IndexedField, values: string[]): Promise<number[][]> {
  const answers: number[][] = []
  for (let start = 0; start < values.length; start += VALUES_PER_READ) {
    const slice = values.slice(start, start + VALUES_PER_READ).map(indexValue)
    const buckets = slice.map(indexBucket)
    const replies = await readCurrentFields(client, keys, { index: field }, buckets)
    slice.forEach((value, i) => {
      const ids = findInBucket(buckets[i] as string, replies[i], value)
      answers.push(ids === null ? [] : ids.split(',').map(Number))
    })
  }
  return answers
}
