import { parseHgncId } from '../hgnc/gene-id.js'
import type { Keys } from '../keys.js'
import type { Logger } from '../logger.js'
import type { CachedReads, RedisClient } from '../redis.js'
import { currentVersion, type DataVersionInfo, noData, ProjectionReader, readCurrent, readDataInfo, requireVersion } from './current-version.js'
import type { GeneSummary } from './projection.js'
import type { FetchField, IndexedField } from '../keys.js'
import { fetchRecords, lookupField } from './field-lookup.js'
import { describeGenes, type GeneBrief } from './gene-briefs.js'
import { recordsOf, selectGenes, type GeneFilter, type GeneSelection } from './gene-selection.js'
import { searchGenes, type SearchHit, type SearchPage } from './search.js'
import { SearchHitMemo } from './search-hit-memo.js'
import { GeneLoader, type LoadRecords, type LoadSummary } from './gene-loader.js'
import { RecordMemo } from './record-memo.js'
import { RecordReader, versionGone } from './record-reader.js'
import { lookupSymbols, type SymbolMatch } from './symbol-index.js'

/** Dependencies of a `GeneStore`. */
export interface GeneStoreOptions {
  client: RedisClient
  keys: Keys
  logger?: Logger
  /**
   * Keep the current version's projection in memory (workers): a range read then costs one GET of
   * the version pointer instead of transferring the range, and the cache refreshes when a load
   * swaps in a new version.
   */
  cacheSummaries?: boolean
  /** Reads cached in this process and kept true by Redis (the API): `get` reads through them. */
  cachedReads?: CachedReads
}

/** A gene's field in a version's records hash: its numeric id, from `HGNC:5`, `5` or 5. */
function recordField (hgncId: string | number): string {
  return String(typeof hgncId === 'number' ? hgncId : parseHgncId(hgncId))
}

/**
 * The gene data in Redis: reads of the current version, and loading or deleting through the
 * `GeneLoader`. Every read sees one whole version, the old set or the new set, never half of either.
 */
export class GeneStore {
  private readonly client: RedisClient
  private readonly keys: Keys['genes']
  private readonly loader: GeneLoader
  private readonly projection: ProjectionReader
  private readonly cachedReads: CachedReads | undefined
  private readonly memo: RecordMemo | undefined
  private readonly records: RecordReader
  private readonly searchHits: SearchHitMemo<SearchHit>
  /** The provenance `info` last answered (null: no data), and the cached reads' generation it holds for. */
  private known: { info: DataVersionInfo | null, generation: number } | undefined

  constructor (options: GeneStoreOptions) {
    this.client = options.client
    this.keys = options.keys.genes
    this.loader = new GeneLoader(this.client, this.keys, options.logger)
    this.projection = new ProjectionReader(this.client, this.keys, options.cacheSummaries ?? false)
    this.cachedReads = options.cachedReads
    this.memo = options.cachedReads !== undefined ? new RecordMemo(options.cachedReads) : undefined
    this.records = new RecordReader(this.client, this.keys)
    // Hits are small (a few short strings): as many as the records the process may keep.
    this.searchHits = new SearchHitMemo(options.cachedReads?.maxEntries ?? 0)
  }

  /** The id of the data version readers use now, or null when nothing is loaded. */
  async currentVersion (): Promise<string | null> {
    return await currentVersion(this.client, this.keys)
  }

  /**
   * Loads a stream of records as the new data set and makes it current in one atomic step.
   * Throws `LOAD_IN_PROGRESS` when another load runs, and the reader's own errors unchanged.
   */
  async load (records: LoadRecords, source: string): Promise<LoadSummary> {
    return await this.loader.load(records, source)
  }

  /**
   * Which data version readers use now: its id, source, load time, the SHA-256 of the source bytes
   * and its gene count; null when nothing is loaded.
   */
  async info (): Promise<DataVersionInfo | null> {
    if (this.cachedReads === undefined) return await readDataInfo(this.client, this.keys)
    // A version's provenance never changes: with the pointer cached (kept true by Redis), a worker
    // names the data of each result without a round trip. While nothing cached has changed since
    // (no invalidation, no reconnect: the same generation), the pointer has not either, and the
    // provenance is answered without even the cache look-up, which copies its reply.
    const generation = this.cachedReads.generation()
    if (this.known?.generation === generation) return this.known.info
    const version = await this.cachedReads.get(this.keys.current)
    let info = version === null ? null : this.known?.info ?? null
    if (version !== null && info?.version !== version) {
      info = await readDataInfo(this.client, this.keys)
      // A load or delete ran between the two reads: answer what was read, remember nothing.
      if (info?.version !== version) return info
    }
    this.known = { info, generation }
    return info
  }

  /** Deletes the whole data set; returns how many genes it held. Refused while a load runs. */
  async deleteAll (): Promise<number> {
    return await this.loader.deleteAll()
  }

  /**
   * The record of one gene when this process served it before and it is still true, without
   * waiting (no Redis, no promise); undefined otherwise: then ask `get`.
   */
  remembered (hgncId: string | number): string | undefined {
    return this.memo?.get(recordField(hgncId))
  }

  /** The record of one gene, as the source had it, or null when no gene has that id. */
  async get (hgncId: string | number): Promise<string | null> {
    const id = recordField(hgncId)
    if (this.cachedReads === undefined || this.memo === undefined) {
      const { version, values } = await readCurrent(this.client, this.keys, 'records', [id])
      return (await this.records.decode(version, values))[0] ?? null
    }
    const remembered = this.memo.get(id)
    if (remembered !== undefined) return remembered
    // Two cached reads: the pointer, then the record in that version (a version's records never
    // change, and outlive a replacement by minutes).
    const generation = this.memo.begin()
    const version = await this.cachedReads.get(this.keys.current)
    if (version === null) throw noData()
    const raw = await this.cachedReads.hGet(this.keys.records(version), id)
    if (raw !== null) {
      const record = (this.records.ready(version) ?? await this.records.decoder(version)).decode(raw)
      this.memo.remember(id, record, generation)
      return record
    }
    // Not found: make sure no delete or swap ran between the two reads before saying so.
    const now = await this.cachedReads.get(this.keys.current)
    if (now === version) return null
    return await this.get(hgncId)
  }

  /** Every `hgnc_id`, in source order. */
  async ids (): Promise<string[]> {
    const version = await this.currentVersion()
    return version === null ? [] : await this.client.lRange(this.keys.ids(version), 0, -1)
  }

  /** How many genes the current data set holds (0 when nothing is loaded). */
  async count (): Promise<number> {
    const version = await this.currentVersion()
    return version === null ? 0 : await this.client.hLen(this.keys.records(version))
  }

  /**
   * The genes a symbol names, case-insensitively: approved symbols first, then previous symbols,
   * aliases and withdrawn entries. Empty when nothing matches.
   */
  async lookupSymbol (symbol: string): Promise<SymbolMatch[]> {
    return (await this.lookupSymbols([symbol]))[0] ?? []
  }

  /** `lookupSymbol` for many symbols in one round trip; the answers come in input order. */
  async lookupSymbols (symbols: string[]): Promise<SymbolMatch[][]> {
    return await lookupSymbols(this.client, this.keys, symbols, this.projection)
  }

  /**
   * The records (JSON exactly as sourced, in source order) of the genes whose `field` has `value`
   * (case-insensitively; any element of a list field), read through the index written at load
   * time. Throws `NO_DATA` when nothing is loaded.
   */
  async fetch (field: FetchField, value: string): Promise<string[]> {
    return await fetchRecords(this.client, this.keys, this.records, field, value)
  }

  /**
   * For each value, in input order, the numeric HGNC ids of the genes whose `field` has it
   * (case-insensitively; [] for none), in source order: one index read per 2,000 values.
   */
  async lookupField (field: IndexedField, values: string[]): Promise<number[][]> {
    return await lookupField(this.client, this.keys, field, values)
  }

  /**
   * The symbol, name, status and location of each of `ids` (numeric HGNC ids) the current version
   * holds, by id (`describeGenes`): one projection read however many ids; names already in
   * `names` (e.g. from `lookupSymbols`) are not read again.
   */
  async describe (ids: Iterable<number>, names?: ReadonlyMap<number, string>): Promise<Map<number, GeneBrief>> {
    return await describeGenes(this.projection, ids, names)
  }

  /**
   * Searches the current version (`searchGenes`): symbols, previous symbols and aliases exactly (or
   * by prefix with a trailing `*`), names by all their words, ids and cross-reference ids.
   */
  async search (query: string, offset = 0, limit = 20): Promise<SearchPage> {
    return await searchGenes(this.client, this.keys, this.records, this.searchHits, query, offset, limit)
  }

  /**
   * One page of the genes matching every filter, in source order (`selectGenes`): numeric ids, the
   * total, and the cursor of the next page (which reads the same version).
   */
  async select (filter: GeneFilter, cursor: string | undefined, limit: number): Promise<GeneSelection> {
    return await selectGenes(this.client, this.keys, filter, cursor, limit)
  }

  /** The records (exact as sourced) of `ids` in data version `version`, e.g. a page `select` gave. */
  async recordsOf (version: string, ids: number[]): Promise<string[]> {
    return await recordsOf(this.client, this.keys, this.records, version, ids)
  }

  /**
   * Streams every record of the current version in source order, `batchSize` at a time. The
   * version is pinned when the stream starts, so a load that lands meanwhile does not mix in and a
   * delete does not cut it short; if its keys are gone anyway, the stream fails instead of ending.
   */
  async * streamRecords (batchSize = 1000): AsyncGenerator<string[]> {
    const version = await requireVersion(this.client, this.keys)
    const total = await this.client.lLen(this.keys.ids(version))
    for (let start = 0; start < total; start += batchSize) {
      const ids = await this.client.lRange(this.keys.ids(version), start, start + batchSize - 1)
      // A version's keys outlive a delete or a replacement by minutes; should they vanish anyway
      // (a stream slower than that), fail loudly rather than end the array early.
      if (ids.length === 0) throw versionGone()
      yield await this.records.decodeAll(version, await this.client.hmGet(this.keys.records(version), ids.map((id) => String(parseHgncId(id)))))
    }
  }

  /**
   * The analysis projection of the genes whose numeric id is in [start, end], in id order, read
   * from the sorted set written at load time (no key scans).
   */
  async summaries (start: number, end: number): Promise<GeneSummary[]> {
    return await this.projection.summaries(start, end)
  }
}
