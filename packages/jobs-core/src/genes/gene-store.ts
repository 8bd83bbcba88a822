import { randomUUID } from 'node:crypto'
import type { Logger } from '../logger.js'
import { GenejobsError } from '../errors.js'
import type { Keys } from '../keys.js'
import { LuaScript } from '../lua.js'
import type { RedisClient } from '../redis.js'
import { parseHgncId } from '../hgnc/gene-id.js'
import type { GeneRecord } from '../hgnc/hgnc-reader.js'
import type { HgncDoc } from '../hgnc/json-records.js'

/** How a symbol matched a gene: its approved symbol, a previous symbol, an alias, or a withdrawn entry. */
export type MatchType = 'approved' | 'previous' | 'alias' | 'withdrawn'

/** One gene a symbol points to. */
export interface SymbolMatch {
  match: MatchType
  hgnc_id: string
  symbol: string
  name: string
  location?: string
}

/** What a finished load reports. */
export interface LoadSummary {
  loaded: number
  source: string
  ms: number
  version: string
}

/** The few fields of a gene the analyses need, kept in a sorted set by numeric id at load time. */
export interface GeneSummary {
  id: number
  symbol: string
  status: string
  locusGroup: string
  locusType: string
  location: string
  dateApproved: string
}

/** Records written per pipelined batch. */
const BATCH_SIZE = 2000
/** Unfinished loads vanish by themselves after this (a crashed loader leaves no garbage). */
const STAGING_TTL_MS = 60 * 60 * 1000
/** A replaced data set stays readable this long, so a reader that started on it can finish. */
const OLD_VERSION_GRACE_MS = 120 * 1000
/** The load lock's lifetime, renewed while a load makes progress. */
const LOAD_LOCK_TTL_MS = 5 * 60 * 1000

/** Symbols looked up per script call. */
const SYMBOLS_PER_READ = 2000

const MATCH_RANK: Record<MatchType, number> = { approved: 0, previous: 1, alias: 2, withdrawn: 3 }

const swapGeneVersion = new LuaScript('swap_gene_version', `
-- KEYS[1]: the current-version pointer; KEYS[2..6]: the new version's keys;
--   KEYS[7..11]: the replaced version's keys (absent on the first load)
-- ARGV[1]: the new version id; ARGV[2]: the version the load started from ('' for none);
--   ARGV[3]: how long (ms) the replaced version stays readable
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[2] then
  return redis.error_reply('CONFLICT the gene data changed while loading')
end
for i = 2, 6 do redis.call('PERSIST', KEYS[i]) end
redis.call('SET', KEYS[1], ARGV[1])
for i = 7, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return 1
`)

const deleteGeneVersion = new LuaScript('delete_gene_version', `
-- KEYS[1]: the current-version pointer; KEYS[2..6]: that version's keys (records first)
-- ARGV[1]: the version the caller read
-- Returns how many genes were deleted.
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return redis.error_reply('CONFLICT the gene data changed while deleting')
end
local count = redis.call('HLEN', KEYS[2])
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do redis.call('UNLINK', KEYS[i]) end
return count
`)

const readCurrentFields = new LuaScript('read_current_fields', `
-- KEYS[1]: the current-version pointer
-- ARGV[1]: the versions' key prefix; ARGV[2]: which hash (records or symbols); ARGV[3..]: fields
-- Returns false when no data is loaded, else the fields' values (HMGET) from the current version.
-- The hash's name is built here so a read takes one round trip and sees one version; it shares
-- the pointer's hash tag, so it lives in the same cluster slot.
local version = redis.call('GET', KEYS[1])
if not version then return false end
return redis.call('HMGET', ARGV[1] .. version .. ':' .. ARGV[2], unpack(ARGV, 3))
`)

const releaseLock = new LuaScript('release_lock', `
-- KEYS[1]: the lock; ARGV[1]: the token of its holder. Deletes the lock only if still held.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

function text (value: unknown): string {
  return typeof value === 'string' ? value.replaceAll('\t', ' ') : ''
}

function strings (value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

/** Encodes the analysis projection of one gene as one sorted-set member. */
function projectionMember (id: number, doc: HgncDoc): string {
  return [id, doc.symbol, doc['status'], doc['locus_group'], doc['locus_type'], doc['location'], doc['date_approved_reserved']]
    .map((value) => typeof value === 'number' ? String(value) : text(value)).join('\t')
}

function parseProjectionMember (member: string): GeneSummary {
  const [id = '0', symbol = '', status = '', locusGroup = '', locusType = '', location = '', dateApproved = ''] = member.split('\t')
  return { id: Number(id), symbol, status, locusGroup, locusType, location, dateApproved }
}

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
}

/**
 * The gene data in Redis. A load writes a new version beside the current one and swaps the
 * pointer atomically, so readers see the old set or the new set, never half of either; a failed or
 * interrupted load leaves the current set untouched.
 */
export class GeneStore {
  private readonly client: RedisClient
  private readonly keys: Keys
  private readonly logger: Logger | undefined
  private readonly cacheSummaries: boolean
  private cached: { version: string, genes: GeneSummary[] } | undefined

  constructor (options: GeneStoreOptions) {
    this.client = options.client
    this.keys = options.keys
    this.logger = options.logger
    this.cacheSummaries = options.cacheSummaries ?? false
  }

  /** The id of the data version readers use now, or null when nothing is loaded. */
  async currentVersion (): Promise<string | null> {
    return await this.client.get(this.keys.genes.current)
  }

  private async requireVersion (): Promise<string> {
    const version = await this.currentVersion()
    if (version === null) throw noData()
    return version
  }

  /**
   * Loads a stream of records as the new data set and makes it current in one atomic step.
   * Throws `LOAD_IN_PROGRESS` when another load runs, and the reader's own errors unchanged.
   */
  async load (records: AsyncIterable<GeneRecord>, source: string): Promise<LoadSummary> {
    const started = performance.now()
    const lockToken = randomUUID()
    await this.acquireLock(lockToken)
    const version = `${Date.now().toString(36)}-${lockToken.slice(0, 8)}`
    const k = this.keys.genes
    try {
      const previous = (await this.currentVersion()) ?? ''
      const symbols = new Map<string, string[]>()
      const seen = new Set<number>()
      let loaded = 0
      let batch: GeneRecord[] = []
      let inFlight: Promise<unknown> = Promise.resolve()
      const flush = async (records: GeneRecord[]) => {
        await inFlight // one batch on the wire while the next is parsed
        inFlight = this.writeBatch(version, records, lockToken)
      }
      for await (const record of records) {
        const id = parseHgncId(record.doc.hgnc_id)
        loaded++
        if (seen.has(id)) {
          throw new GenejobsError('SOURCE_MALFORMED', `record ${loaded}: duplicate hgnc_id ${record.doc.hgnc_id}`)
        }
        seen.add(id)
        indexSymbols(symbols, record.doc)
        batch.push(record)
        if (batch.length === BATCH_SIZE) {
          await flush(batch)
          batch = []
        }
      }
      if (batch.length > 0) await flush(batch)
      await inFlight
      if (loaded === 0) throw new GenejobsError('SOURCE_MALFORMED', 'the source holds no gene records')
      await this.writeSymbols(version, symbols)
      const ms = Math.round(performance.now() - started)
      await this.client.multi()
        .hSet(k.meta(version), { count: String(loaded), source, loaded_at: new Date().toISOString(), ms: String(ms) })
        .pExpire(k.meta(version), STAGING_TTL_MS)
        .exec()
      const oldKeys = previous === '' ? [] : k.versionKeys(previous)
      try {
        await swapGeneVersion.run(this.client, [k.current, ...k.versionKeys(version), ...oldKeys], [version, previous, OLD_VERSION_GRACE_MS])
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('CONFLICT')) {
          throw new GenejobsError('LOAD_IN_PROGRESS', 'the gene data changed while loading; try again', { cause: err })
        }
        throw err
      }
      this.logger?.info({ version, loaded, ms, source }, 'gene data loaded')
      return { loaded, source, ms, version }
    } catch (err) {
      // Drop what was written; the current version is untouched.
      await this.client.unlink(k.versionKeys(version)).catch(() => {})
      throw err
    } finally {
      await releaseLock.run(this.client, [k.loadLock], [lockToken]).catch(() => {})
    }
  }

  private async acquireLock (token: string): Promise<void> {
    const acquired = await this.client.set(this.keys.genes.loadLock, token, { condition: 'NX', expiration: { type: 'PX', value: LOAD_LOCK_TTL_MS } })
    if (acquired === null) throw new GenejobsError('LOAD_IN_PROGRESS', 'a gene data load is already running; try again when it has finished')
  }

  private async writeBatch (version: string, records: GeneRecord[], lockToken: string): Promise<void> {
    const k = this.keys.genes
    const fields: Record<string, string> = {}
    const ids: string[] = []
    const members: Array<{ score: number, value: string }> = []
    for (const { raw, doc } of records) {
      const id = parseHgncId(doc.hgnc_id)
      fields[id] = raw
      ids.push(doc.hgnc_id)
      members.push({ score: id, value: projectionMember(id, doc) })
    }
    await this.client.multi()
      .hSet(k.records(version), fields)
      .rPush(k.ids(version), ids)
      .zAdd(k.projection(version), members)
      .pExpire(k.records(version), STAGING_TTL_MS)
      .pExpire(k.ids(version), STAGING_TTL_MS)
      .pExpire(k.projection(version), STAGING_TTL_MS)
      .set(k.loadLock, lockToken, { condition: 'XX', expiration: { type: 'PX', value: LOAD_LOCK_TTL_MS } })
      .execAsPipeline()
  }

  private async writeSymbols (version: string, symbols: Map<string, string[]>): Promise<void> {
    const key = this.keys.genes.symbols(version)
    let fields: Record<string, string> = {}
    let count = 0
    const pending: Array<Promise<unknown>> = []
    for (const [symbol, entries] of symbols) {
      // Entries start with their rank digit; the sort is stable, so source order holds within a rank.
      if (entries.length > 1) entries.sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0))
      fields[symbol] = `[${entries.map((entry) => entry.slice(1)).join(',')}]`
      if (++count % 5000 === 0) {
        pending.push(this.client.hSet(key, fields))
        fields = {}
      }
    }
    pending.push(this.client.hSet(key, fields), this.client.pExpire(key, STAGING_TTL_MS))
    await Promise.all(pending)
  }

  /** The record of one gene, as the source had it, or null when no gene has that id. */
  async get (hgncId: string | number): Promise<string | null> {
    const id = typeof hgncId === 'number' ? hgncId : parseHgncId(hgncId)
    const [raw] = await this.readCurrent('records', [String(id)])
    return raw ?? null
  }

  private async readCurrent (part: 'records' | 'symbols', fields: string[]): Promise<Array<string | null>> {
    const reply = await readCurrentFields.run(this.client, [this.keys.genes.current], [`${this.keys.root}:genes:v:`, part, ...fields])
    if (reply === null || reply === false) throw noData()
    return reply as Array<string | null>
  }

  /** Every `hgnc_id`, in source order. */
  async ids (): Promise<string[]> {
    const version = await this.currentVersion()
    return version === null ? [] : await this.client.lRange(this.keys.genes.ids(version), 0, -1)
  }

  /** How many genes the current data set holds (0 when nothing is loaded). */
  async count (): Promise<number> {
    const version = await this.currentVersion()
    return version === null ? 0 : await this.client.hLen(this.keys.genes.records(version))
  }

  /** Where the current data set came from and when it was loaded, or null when nothing is loaded. */
  async info (): Promise<{ version: string, count: number, source: string, loadedAt: string } | null> {
    const version = await this.currentVersion()
    if (version === null) return null
    const meta = await this.client.hGetAll(this.keys.genes.meta(version))
    return { version, count: Number(meta['count'] ?? 0), source: meta['source'] ?? '', loadedAt: meta['loaded_at'] ?? '' }
  }

  /** Deletes the whole data set; returns how many genes it held. Refused while a load runs. */
  async deleteAll (): Promise<number> {
    const token = randomUUID()
    await this.acquireLock(token)
    try {
      const version = await this.currentVersion()
      if (version === null) return 0
      const k = this.keys.genes
      const deleted = Number(await deleteGeneVersion.run(this.client, [k.current, ...k.versionKeys(version)], [version]))
      this.logger?.info({ version, deleted }, 'gene data deleted')
      return deleted
    } finally {
      await releaseLock.run(this.client, [this.keys.genes.loadLock], [token]).catch(() => {})
    }
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
    const answers: SymbolMatch[][] = []
    // Lua's unpack() takes a few thousand values at most: ask in slices.
    for (let start = 0; start < symbols.length; start += SYMBOLS_PER_READ) {
      const slice = symbols.slice(start, start + SYMBOLS_PER_READ).map((symbol) => symbol.toLowerCase())
      for (const reply of await this.readCurrent('symbols', slice)) answers.push(reply === null ? [] : JSON.parse(reply) as SymbolMatch[])
    }
    return answers
  }

  /**
   * Streams every record of the current version in source order, `batchSize` at a time. The
   * version is pinned when the stream starts, so a load that lands meanwhile does not mix in.
   */
  async * streamRecords (batchSize = 1000): AsyncGenerator<string[]> {
    const version = await this.requireVersion()
    const k = this.keys.genes
    for (let start = 0; ; start += batchSize) {
      const ids = await this.client.lRange(k.ids(version), start, start + batchSize - 1)
      if (ids.length === 0) return
      const records = await this.client.hmGet(k.records(version), ids.map((id) => String(parseHgncId(id))))
      if (records.some((record) => record === null)) {
        throw new GenejobsError('NO_DATA', 'the gene data was deleted or replaced while it was being read')
      }
      yield records as string[]
    }
  }

  /**
   * The analysis projection of the genes whose numeric id is in [start, end], in id order, read
   * from the sorted set written at load time (no key scans).
   */
  async summaries (start: number, end: number): Promise<GeneSummary[]> {
    const version = await this.requireVersion()
    if (!this.cacheSummaries) {
      const members = await this.client.zRangeByScore(this.keys.genes.projection(version), start, end)
      return members.map(parseProjectionMember)
    }
    if (this.cached?.version !== version) {
      const members = await this.client.zRange(this.keys.genes.projection(version), 0, -1)
      this.cached = { version, genes: members.map(parseProjectionMember) }
    }
    const genes = this.cached.genes
    return genes.slice(firstAtLeast(genes, start), firstAtLeast(genes, end + 1))
  }
}

/** The error for reading gene data when none is loaded. */
function noData (): GenejobsError {
  return new GenejobsError('NO_DATA', 'no gene data is loaded: POST /data first')
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

/**
 * Adds one match to the symbol index being built. Entries are kept as serialised JSON prefixed
 * with their rank digit: building objects and serialising them at the end was a tenth of the load.
 */
function addMatch (symbols: Map<string, string[]>, symbol: string, match: MatchType, geneJson: string): void {
  const key = symbol.toLowerCase()
  const entry = `${MATCH_RANK[match]}{"match":"${match}",${geneJson.slice(1)}`
  const list = symbols.get(key)
  if (list === undefined) symbols.set(key, [entry])
  else if (!list.includes(entry)) list.push(entry)
}

function indexSymbols (symbols: Map<string, string[]>, doc: HgncDoc): void {
  const geneJson = JSON.stringify({
    hgnc_id: doc.hgnc_id,
    symbol: doc.symbol,
    name: text(doc['name']),
    ...(typeof doc['location'] === 'string' ? { location: doc['location'] } : {})
  })
  addMatch(symbols, doc.symbol.replace(/~withdrawn$/, ''), doc['status'] === 'Entry Withdrawn' ? 'withdrawn' : 'approved', geneJson)
  for (const previous of strings(doc['prev_symbol'])) addMatch(symbols, previous, 'previous', geneJson)
  for (const alias of strings(doc['alias_symbol'])) addMatch(symbols, alias, 'alias', geneJson)
}
