import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { currentVersion } from './current-version.js'

/**
 * Which gene data a result was computed on: the version id, where it was read from, when it was
 * loaded, the SHA-256 of the source bytes as read (null when the records did not come from bytes,
 * e.g. a test's in-memory text) and how many genes it holds.
 */
export interface DataVersionInfo {
  version: string
  source: string
  loaded_at: string
  sha256: string | null
  genes: number
}

/** The provenance fields a load writes to a version's meta hash. */
export function metaFields (info: Omit<DataVersionInfo, 'version'>, ms: number): Record<string, string> {
  return { count: String(info.genes), source: info.source, loaded_at: info.loaded_at, sha256: info.sha256 ?? '', ms: String(ms) }
}

/**
 * The provenance of the current data version (two reads: the pointer, then that version's meta
 * hash, which outlives a replacement by minutes), or null when nothing is loaded.
 */
export async function readDataInfo (client: RedisClient, keys: Keys['genes']): Promise<DataVersionInfo | null> {
  const version = await currentVersion(client, keys)
  if (version === null) return null
  const meta = await client.hGetAll(keys.meta(version))
  if (meta['count'] === undefined) return null
  return {
    version,
    source: meta['source'] ?? '',
    loaded_at: meta['loaded_at'] ?? '',
    sha256: meta['sha256'] === undefined || meta['sha256'] === '' ? null : meta['sha256'],
    genes: Number(meta['count'])
  }
}
