import { GenejobsError } from '../errors.js'
import { parseHgncId } from '../hgnc/gene-id.js'
import type { FILTER_FIELDS, Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { requireVersion } from './current-version.js'
import { findInBucket, indexBucket, indexValue } from './field-index.js'
import type { RecordReader } from './record-reader.js'

/** Filters of `GET /genes` and `GET /data`: exact (case-insensitive) values of the filter fields. */
export type GeneFilter = Partial<Record<typeof FILTER_FIELDS[number], string>>

/** One page of the genes a filter selects, in source order, pinned to one data version. */
export interface GeneSelection {
  version: string
  /** Numeric HGNC ids of this page. */
  ids: number[]
  /** How many genes the filter selects in all. */
  total: number
  /** The cursor of the next page, or null on the last one. */
  next: string | null
}

/** A cursor is `<version>.<offset>`: the next page reads the same version, so pages never mix two. */
const CURSOR = /^([a-z0-9]+-[a-f0-9]{8})\.(\d{1,9})$/

function invalidCursor (detail: string): GenejobsError {
  return new GenejobsError('INVALID_ID', `querystring/cursor ${detail}; start again without a cursor`)
}

/**
 * The genes matching every filter (all genes without filters), in source order, `limit` from the
 * cursor on: filters intersect the value -> genes indexes written at load time (no key scans). A
 * cursor from an earlier page keeps reading that page's version while its keys live (minutes after
 * a replacement); after that it is refused with `INVALID_ID`.
 */
export async function selectGenes (client: RedisClient, keys: Keys['genes'], filter: GeneFilter, cursor: string | undefined, limit: number): Promise<GeneSelection> {
  let version: string
  let offset = 0
  if (cursor !== undefined) {
    const parsed = CURSOR.exec(cursor)
    if (parsed === null) throw invalidCursor('is not a cursor this API gave')
    version = parsed[1] as string
    offset = Number(parsed[2])
    if (await client.exists(keys.ids(version)) === 0) throw invalidCursor('names a data version that is gone')
  } else {
    version = await requireVersion(client, keys)
  }
  const fields = Object.entries(filter).filter(([, value]) => value !== undefined) as Array<[keyof GeneFilter, string]>
  let ids: number[]
  let total: number
  if (fields.length === 0) {
    total = await client.lLen(keys.ids(version))
    ids = (await client.lRange(keys.ids(version), offset, offset + limit - 1)).map((id) => parseHgncId(id))
  } else {
    const lists = await Promise.all(fields.map(async ([field, value]) => {
      const text = indexValue(value)
      const bucket = indexBucket(text)
      return findInBucket(bucket, await client.hGet(keys.fieldIndex(version, field), bucket), text)
    }))
    const all = lists.some((list) => list === null || list === undefined) ? [] : intersect(lists as string[])
    total = all.length
    ids = all.slice(offset, offset + limit)
  }
  const end = offset + ids.length
  return { version, ids, total, next: end < total ? `${version}.${end}` : null }
}

/** The ids present in every comma-separated list, in source order (every list is in source order). */
function intersect (lists: string[]): number[] {
  const sorted = [...lists].sort((a, b) => a.length - b.length)
  const rest = sorted.slice(1).map((list) => new Set(list.split(',')))
  return (sorted[0] ?? '').split(',').filter((id) => rest.every((set) => set.has(id))).map(Number)
}

/** The records of `ids` in version `version`, exact as sourced, in the order given. */
export async function recordsOf (client: RedisClient, keys: Keys['genes'], reader: RecordReader, version: string, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return []
  return await reader.decodeAll(version, await client.hmGet(keys.records(version), ids.map(String)))
}
