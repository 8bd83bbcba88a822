/**
 * The current gene data version as readers see it: which version it is, its provenance (source,
 * load time, SHA-256, gene count), and the analysis projection of its genes (`projection.ts`).
 */
import { Command } from '../commands/index.js'
import { GenejobsError } from '../errors.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { parseProjectionMember, type GeneSummary } from './projection.js'

const readCurrentFieldsCommand = new Command('read-current-fields-1')

/** The id of the gene data version readers use now, or null when nothing is loaded. */
export async function currentVersion (client: RedisClient, keys: Keys['genes']): Promise<string | null> {
  return await client.get(keys.current)
}

/** The id of the current gene data version; throws `NO_DATA` when nothing is loaded. */
export async function requireVersion (client: RedisClient, keys: Keys['genes']): Promise<string> {
  const version = await currentVersion(client, keys)
  if (version === null) throw noData()
  return version
}

/**
 * Reads `fields` of the current version's records or symbols hash in one round trip that sees one
 * version (a load swapping versions meanwhile cannot split it), with that version (e.g. to decode
 * records). Throws `NO_DATA` when nothing is loaded; a missing field reads as null.
 */
export async function readCurrent (client: RedisClient, keys: Keys['genes'], part: 'records' | 'symbols', fields: string[]): Promise<{ version: string, values: Array<string | null> }> {
  const suffix = keys.versionSuffix[part]
  const reply = await readCurrentFieldsCommand.run(client, [keys.current], [keys.versionPrefix, suffix, ...fields])
  if (reply === null || reply === false) throw noData()
  const [version, values] = reply as [string, Array<string | null>]
  return { version, values }
}

/** The error for reading gene data when none is loaded. */
export function noData (): GenejobsError {
  return new GenejobsError('NO_DATA', 'no gene data is loaded: POST /data first')
}

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

/**
 * Reads the projection of the current version by id range. With `cache`, the whole projection of
 * the current version is kept in memory (workers): a range read then costs one GET of the version
 * pointer instead of transferring the range, and the copy refreshes when a load swaps versions.
 */
export class ProjectionReader {
  private cached: { version: string, genes: GeneSummary[], names: string[] } | undefined

  constructor (
    private readonly client: RedisClient,
    private readonly keys: Keys['genes'],
    private readonly cache: boolean
  ) {}

  /** The genes whose numeric id is in [start, end], in id order (no key scans). Throws `NO_DATA`. */
  async summaries (start: number, end: number): Promise<GeneSummary[]> {
    return (await this.named(start, end)).genes
  }

  /** True when the whole projection is kept in memory (see the class). */
  get caching (): boolean {
    return this.cache
  }

  /** `summaries`, with each gene's name (same order). */
  async named (start: number, end: number): Promise<{ genes: GeneSummary[], names: string[] }> {
    const version = await requireVersion(this.client, this.keys)
    if (!this.cache) return parseMembers(await this.client.zRangeByScore(this.keys.projection(version), start, end))
    const { genes, names } = await this.whole(version)
    const from = firstAtLeast(genes, start)
    const to = firstAtLeast(genes, end + 1)
    return { genes: genes.slice(from, to), names: names.slice(from, to) }
  }

  /**
   * Finds genes of `version` by numeric id in the in-memory copy (`caching`): the finder answers
   * a gene and its name, or undefined for an id the version lacks.
   */
  async finder (version: string): Promise<(id: number) => { summary: GeneSummary, name: string } | undefined> {
    const { genes, names } = await this.whole(version)
    return (id) => {
      const at = firstAtLeast(genes, id)
      const summary = genes[at]
      return summary?.id === id ? { summary, name: names[at] ?? '' } : undefined
    }
  }

  /** The whole projection of `version`, read once per version. */
  private async whole (version: string): Promise<{ genes: GeneSummary[], names: string[] }> {
    if (this.cached?.version !== version) {
      this.cached = { version, ...parseMembers(await this.client.zRange(this.keys.projection(version), 0, -1)) }
    }
    return this.cached
  }
}

function parseMembers (members: string[]): { genes: GeneSummary[], names: string[] } {
  const genes: GeneSummary[] = []
  const names: string[] = []
  for (const member of members) {
    const { summary, name } = parseProjectionMember(member)
    genes.push(summary)
    names.push(name)
  }
  return { genes, names }
}

/** Index of the first gene (sorted by id) whose id is at least `id`. */
function firstAtLeast (genes: GeneSummary[], id: number): number {
  let low = 0
  let high = genes.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((genes[middle] as GeneSummary).id < id) low = middle + 1
    else high = middle
  }
  return low
}
