import { Command } from '../commands/index.js'
import { GenejobsError } from '../errors.js'
import type { GeneRecord, HgncPieces } from '../hgnc/hgnc-reader.js'
import type { HgncDoc } from '../hgnc/json-records.js'
import { INDEXED_FIELDS, type Keys } from '../keys.js'
import type { Logger } from '../logger.js'
import type { RedisClient } from '../redis.js'
import { sendKeyed } from '../redis-cluster.js'
import type { IndexedBatch } from './batch-indexer.js'
import { currentVersion, metaFields } from './current-version.js'
import { IndexWriter } from './index-writer.js'
import { InlineIndexes, IndexThread, type IndexBuilder } from './index-thread.js'
import type { IndexKeys } from './version-indexes.js'
import { acquireLoadLock, LOAD_LOCK_TTL_MS, releaseLoadLock } from './load-lock.js'
import { buildCodebook, RecordEncoder } from './record-codec.js'

/** What a finished load reports. */
export interface LoadSummary {
  loaded: number
  source: string
  ms: number
  version: string
  /** When the version was made, as an ISO 8601 time. */
  loaded_at: string
  /** The SHA-256 of the source bytes as read, or null when the records did not say. */
  sha256: string | null
}

/**
 * Records to load; a source reader also says, once read to the end, the SHA-256 of its bytes, and
 * offers the source split but not parsed (`pieces`), which the loader then parses on a second core.
 */
export type LoadRecords = AsyncIterable<GeneRecord> & { readonly sha256?: string | undefined, pieces?: () => Promise<HgncPieces> }

/** Records given as objects, as batches of their JSON texts (parsed again where they are indexed). */
async function * rawTexts (records: AsyncIterable<GeneRecord>): AsyncGenerator<string[]> {
  for await (const { raw } of records) yield [raw]
}

/** Records (or TSV lines) checked, indexed and written per batch. */
const BATCH_SIZE = 2000
/** Batches handed to the indexes ahead of the one being written: the second core stays busy. */
const MAX_PENDING_BATCHES = 3
/** Records the codebook is built from: the first 500 code the real set within 0.5% of the first 2,000, in a quarter of the time. */
const CODEBOOK_SAMPLE = 500
/** Unfinished loads vanish by themselves after this (a crashed loader leaves no garbage). */
const STAGING_TTL_MS = 60 * 60 * 1000
/** A replaced or deleted data set stays readable this long, so a reader that started on it can finish. */
const OLD_VERSION_GRACE_MS = 120 * 1000

const swapGeneVersion = new Command('swap-gene-version')
const deleteGeneVersion = new Command('delete-gene-version')

/**
 * Writes and deletes gene data versions. A load writes a new version beside the current one, with
 * staging TTLs, and swaps the pointer atomically, so readers see the old set or the new set, never
 * half of either; a failed or interrupted load leaves the current set untouched. The load lock keeps
 * two loads (or a load and a delete) from interleaving.
 */
export class GeneLoader {
  constructor (
    private readonly client: RedisClient,
    private readonly keys: Keys['genes'],
    private readonly logger: Logger | undefined
  ) {}

  /**
   * Loads a stream of records as the new data set and makes it current in one atomic step.
   * Throws `LOAD_IN_PROGRESS` when another load runs, and the reader's own errors unchanged.
   */
  async load (records: LoadRecords, source: string): Promise<LoadSummary> {
    const started = performance.now()
    const lockToken = await acquireLoadLock(this.client, this.keys)
    const version = `${Date.now().toString(36)}-${lockToken.slice(0, 8)}`
    const k = this.keys
    const indexKeys: IndexKeys = {
      symbols: k.symbols(version),
      prefixes: k.prefixes(version),
      words: k.words(version),
      fields: Object.fromEntries(INDEXED_FIELDS.map((field) => [field, k.fieldIndex(version, field)]))
    }
    let indexes: IndexBuilder | undefined
    const writer = new IndexWriter(this.client, STAGING_TTL_MS)
    try {
      const previous = (await currentVersion(this.client, k)) ?? ''
      const { format, batches } = records.pieces !== undefined ? await records.pieces() : { format: 'json' as const, batches: rawTexts(records) }
      let loaded = 0
      // Batches handed to the indexes and not yet written, oldest first.
      const pending: Array<{ items: string[], indexed: Promise<IndexedBatch> }> = []
      let inFlight: Promise<unknown> = Promise.resolve()
      let encoder: RecordEncoder | undefined
      const writeOldest = async () => {
        const { items, indexed } = pending.shift() as typeof pending[number]
        const { ids, members, raws = items } = await indexed
        // The first batch (checked by now) is the sample the version's codebook is built from; it goes with that batch.
        const codebook = encoder === undefined ? buildCodebook(raws.slice(0, CODEBOOK_SAMPLE).map((raw) => JSON.parse(raw) as HgncDoc)) : undefined
        if (codebook !== undefined) encoder = new RecordEncoder(codebook)
        const encoded = raws.map((raw) => (encoder as RecordEncoder).encode(raw))
        loaded += ids.length
        await inFlight // one batch on the wire while the next is encoded
        inFlight = this.writeBatch(version, ids, encoded, members, lockToken, codebook)
        // It is awaited (and its error thrown) at the next write; until then a rejection (Redis gone,
        // out of memory) must not count as unhandled, which would end the process.
        inFlight.catch(() => {})
      }
      const submit = async (items: string[]) => {
        // A load that fills a whole batch is a large one: its records are checked and indexed on a second core.
        indexes ??= items.length >= BATCH_SIZE ? new IndexThread(indexKeys) : new InlineIndexes(indexKeys)
        const indexed = indexes.add({ format, items })
        indexed.catch(() => {}) // awaited in turn by writeOldest
        pending.push({ items, indexed })
        while (pending.length > MAX_PENDING_BATCHES) await writeOldest()
      }
      let batch: string[] = []
      for await (const items of batches) {
        for (const item of items) batch.push(item)
        if (batch.length >= BATCH_SIZE) {
          await submit(batch)
          batch = []
        }
      }
      if (batch.length > 0) await submit(batch)
      while (pending.length > 0) await writeOldest()
      await inFlight
      if (loaded === 0) throw new GenejobsError('SOURCE_MALFORMED', 'the source holds no gene records')
      await (indexes as IndexBuilder).finish((command) => { writer.send(command) })
      await writer.done()
      // A Redis that restarted while idle between two batches may have lost what it had acknowledged.
      const [written, listed] = await Promise.all([this.client.hLen(k.records(version)), this.client.lLen(k.ids(version))])
      if (written !== loaded || listed !== loaded) {
        throw new GenejobsError('REDIS_UNAVAILABLE', `Redis lost part of the load (${written} of ${loaded} records kept; did it restart?): the current data is unchanged, load again`)
      }
      const ms = Math.round(performance.now() - started)
      const sha256 = records.sha256 ?? null
      const loadedAt = new Date().toISOString()
      await this.client.multi()
        .hSet(k.meta(version), metaFields({ source, loaded_at: loadedAt, sha256, genes: loaded }, ms))
        .pExpire(k.meta(version), STAGING_TTL_MS)
        .exec()
      const oldKeys = previous === '' ? [] : k.versionKeys(previous)
      try {
        const newKeys = k.versionKeys(version)
        await swapGeneVersion.run(this.client, [k.current, ...newKeys, ...oldKeys], [version, previous, OLD_VERSION_GRACE_MS, newKeys.length])
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('CONFLICT')) {
          throw new GenejobsError('LOAD_IN_PROGRESS', 'the gene data changed while loading; try again', { cause: err })
        }
        throw err
      }
      this.logger?.info({ version, loaded, ms, source, sha256 }, 'gene data loaded')
      if (previous !== '') this.compactAfterGrace()
      return { loaded, source, ms, version, loaded_at: loadedAt, sha256 }
    } catch (err) {
      // Drop what was written (once every write sent has landed); the current version is untouched.
      await writer.settle()
      await this.client.unlink(k.versionKeys(version)).catch(() => {})
      throw err
    } finally {
      await indexes?.close()
      await releaseLoadLock(this.client, k, lockToken)
    }
  }

  /**
   * Once a replaced or deleted version has expired, asks Redis to rewrite its append-only file, so
   * the persistence folder shrinks back to about what Redis holds instead of keeping every version
   * ever loaded. Best effort: skipped when append-only persistence is off or the command is refused.
   */
  private compactAfterGrace (): void {
    setTimeout(() => {
      this.client.info('persistence')
        .then(async (info) => { if (/aof_enabled:1/.test(info)) await this.client.bgRewriteAof() })
        .catch(() => {})
    }, OLD_VERSION_GRACE_MS + 1000).unref()
  }

  /** Writes one batch of encoded records (and the codebook with the first), and renews the load lock, pipelined. */
  private async writeBatch (version: string, numbers: number[], encoded: string[], projection: string[], lockToken: string, codebook: string[] | undefined): Promise<void> {
    const k = this.keys
    // Argument lists rather than objects: no per-record objects to build, encode and collect.
    const recordFields = ['HSET', k.records(version)]
    const ids = ['RPUSH', k.ids(version)]
    const members = ['ZADD', k.projection(version)]
    for (let i = 0; i < numbers.length; i++) {
      const id = String(numbers[i])
      recordFields.push(id, encoded[i] as string)
      ids.push(`HGNC:${id}`)
      members.push(id, projection[i] as string)
    }
    // Sent together (node-redis pipelines them); raw argument lists go by their key, as a cluster needs.
    const c = this.client
    const expiry = { expiration: { type: 'PX', value: STAGING_TTL_MS } } as const
    await Promise.all([
      ...(codebook !== undefined ? [c.set(k.codebook(version), JSON.stringify(codebook), expiry)] : []),
      ...[recordFields, ids, members].map(async (args) => await sendKeyed(c, args[1], args)),
      c.pExpire(k.records(version), STAGING_TTL_MS),
      c.pExpire(k.ids(version), STAGING_TTL_MS),
      c.pExpire(k.projection(version), STAGING_TTL_MS),
      c.set(k.loadLock, lockToken, { condition: 'XX', expiration: { type: 'PX', value: LOAD_LOCK_TTL_MS } })
    ])
  }

  /** Deletes the whole data set; returns how many genes it held. Refused while a load runs. */
  async deleteAll (): Promise<number> {
    const token = await acquireLoadLock(this.client, this.keys)
    try {
      const version = await currentVersion(this.client, this.keys)
      if (version === null) return 0
      const deleted = Number(await deleteGeneVersion.run(this.client, [this.keys.current, ...this.keys.versionKeys(version)], [version, OLD_VERSION_GRACE_MS]))
      this.logger?.info({ version, deleted }, 'gene data deleted')
      this.compactAfterGrace()
      return deleted
    } finally {
      await releaseLoadLock(this.client, this.keys, token)
    }
  }
}
