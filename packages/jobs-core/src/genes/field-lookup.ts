import { Command } from '../commands/index.js'
import type { IndexedField, Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { noData } from './current-version.js'
import { indexBucket, indexValue } from './field-index.js'
import type { RecordReader } from './record-reader.js'

const fetchRecordsCommand = new Command('fetch-records-1')
const lookupFieldCommand = new Command('lookup-field-1')
const readFieldIndexCommand = new Command('read-field-index-1')

/**
 * From this many values on, a look-up reads the whole field index at once (one read of at most a
 * few megabytes, unpacked into a map here) rather than finding each value in Redis.
 */
const WHOLE_INDEX_FROM = 5000

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
  if (values.length >= WHOLE_INDEX_FROM) {
    const index = await readFieldIndex(client, keys, field)
    return values.map((value) => index.get(indexValue(value))?.split(',').map(Number) ?? [])
  }
  const answers: number[][] = []
  for (let start = 0; start < values.length; start += VALUES_PER_READ) {
    // Each value is found in its bucket inside Redis: only its ids cross the network.
    const args = [keys.versionPrefix, keys.fieldIndexSuffix(field)]
    for (const value of values.slice(start, start + VALUES_PER_READ)) {
      const text = indexValue(value)
      args.push(indexBucket(text), text)
    }
    const reply = await lookupFieldCommand.run(client, [keys.current], args)
    if (reply === null || reply === false) throw noData()
    for (const ids of (reply as [string, Array<string | null>])[1]) answers.push(ids === null || ids === undefined ? [] : ids.split(',').map(Number))
  }
  return answers
}

/** One whole field index of the current version: value -> the genes' comma-separated numeric ids. Throws `NO_DATA`. */
async function readFieldIndex (client: RedisClient, keys: Keys['genes'], field: IndexedField): Promise<Map<string, string>> {
  const reply = await readFieldIndexCommand.run(client, [keys.current], [keys.versionPrefix, keys.fieldIndexSuffix(field)])
  if (reply === null || reply === false) throw noData()
  const buckets = (reply as [string, string[]])[1]
  const index = new Map<string, string>()
  for (let i = 0; i + 1 < buckets.length; i += 2) {
    const bucket = buckets[i] as string
    const packed = buckets[i + 1] as string
    if (bucket.startsWith('=')) {
      index.set(bucket.slice(1), packed)
      continue
    }
    // `\n<value>\t<ids>` per value; neither a value nor ids hold a tab or a line feed.
    for (const entry of packed.split('\n')) {
      const tab = entry.indexOf('\t')
      if (tab >= 0) index.set(entry.slice(0, tab), entry.slice(tab + 1))
    }
  }
  return index
}
