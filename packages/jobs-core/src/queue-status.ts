import { Command } from './commands/index.js'
import { readJobFields } from './job-fields.js'
import type { Job } from './queue.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import type { JobStatus } from './schemas/jobs.js'

/** One registered worker as `GET /queue` shows it. */
export interface WorkerStatus {
  id: string
  /** Whether its heartbeat is current; a worker whose heartbeat expired waits for the reaper. */
  alive: boolean
  host?: string
  pid?: number
  started_at?: string
  /** When it last beat (ISO), and how long ago (ms). */
  heartbeat_at?: string
  heartbeat_age_ms?: number
  /** How many jobs it holds now. */
  jobs: number
}

/** A failed job in the operators' overview. */
export type FailedJobSummary = Pick<Job, 'id' | 'analysis' | 'attempts'> & { error: string, finished_at?: string }

/** The queue at a glance, for operators (`GET /queue`). */
export interface QueueStatus {
  /** Jobs waiting for a worker. */
  pending: number
  /** Jobs a worker is running. */
  in_progress: number
  /** Jobs waiting out a retry's back-off. */
  delayed: number
  /** Jobs in the listing (every status, until their record expires and a listing or the pruning notices). */
  listed: number
  workers: WorkerStatus[]
  /** The most recently created failed jobs among the newest `scan` jobs, newest first. */
  recent_failed: FailedJobSummary[]
}

/**
 * Reads queue depth, jobs in progress and delayed, and the registered workers with their heartbeat
 * age: a few O(1) reads and three per worker. `failed` are the recent failed jobs (read by the caller).
 */
export async function readQueueStatus (client: RedisClient, keys: Keys, failed: Array<Job | null>): Promise<QueueStatus> {
  const q = keys.queue
  const [pending, inProgress, delayed, listed, workerIds] = await Promise.all([
    client.lLen(q.pending), client.hLen(q.active), client.zCard(q.delayed), client.lLen(keys.jobs.listing), client.sMembers(q.workers)
  ])
  const now = Date.now()
  const workers = await Promise.all(workerIds.sort().map(async (id): Promise<WorkerStatus> => {
    const [beat, info, jobs] = await Promise.all([client.get(q.heartbeat(id)), client.hGetAll(q.workerInfo(id)), client.lLen(q.processing(id))])
    const status: WorkerStatus = { id, alive: beat !== null, jobs }
    if (info['host'] !== undefined) status.host = info['host']
    if (info['pid'] !== undefined) status.pid = Number(info['pid'])
    if (info['started_at'] !== undefined) status.started_at = info['started_at']
    const beatMs = Number(info['heartbeat_at'] ?? beat ?? NaN)
    if (Number.isFinite(beatMs)) {
      status.heartbeat_at = new Date(beatMs).toISOString()
      status.heartbeat_age_ms = Math.max(0, now - beatMs)
    }
    return status
  }))
  const recentFailed = failed.filter((job): job is Job => job !== null && job.status === 'failed').map((job) => ({
    id: job.id,
    analysis: job.analysis,
    attempts: job.attempts,
    error: job.error ?? '',
    ...(job.finished_at !== undefined ? { finished_at: job.finished_at } : {})
  }))
  return { pending, in_progress: inProgress, delayed, listed, workers, recent_failed: recentFailed }
}

/** Statuses of `ids` (null where the job is gone: expired), each read on its own slot, pipelined. */
async function readStatuses (client: RedisClient, keys: Keys, ids: string[]): Promise<Array<string | null>> {
  return await Promise.all(ids.map(async (id) => (await readJobFields(client, keys, id, ['status']))[0] ?? null))
}

/**
 * Job ids, newest first, optionally only those with one status (looked for among the newest
 * `scan` jobs at most, by default all). Reads each listed job's status (on its own slot,
 * pipelined; the listing is on the queue's): ids whose job is gone (expired) are not shown and
 * leave the listing.
 */
export async function listJobIds (client: RedisClient, keys: Keys, options: { status?: JobStatus, limit?: number, scan?: number }): Promise<string[]> {
  const limit = options.limit ?? 100
  const scan = options.scan ?? Infinity
  const listing = keys.jobs.listing
  const found: string[] = []
  const page = options.status === undefined ? Math.min(limit, 500) : 500
  for (let start = 0, seen = 0; found.length < limit && seen < scan; start += page) {
    const ids = await client.lRange(listing, start, start + Math.min(page, scan - seen) - 1)
    if (ids.length === 0) break
    seen += ids.length
    const statuses = await readStatuses(client, keys, ids)
    const gone = ids.filter((_, i) => statuses[i] === null)
    if (gone.length > 0) {
      // Near the head: LREM from the head finds them early.
      await Promise.all(gone.map(async (id) => await client.lRem(listing, 1, id)))
      start -= gone.length
    }
    ids.forEach((id, i) => {
      const status = statuses[i]
      if (status !== null && (options.status === undefined || status === options.status) && found.length < limit) found.push(id)
    })
  }
  return found
}

const migrateLegacyListingCommand = new Command('migrate-legacy-listing-2')

/** Ids moved per call of `migrateLegacyListing`. */
const MIGRATE_CHUNK = 1000

/**
 * Moves the job listing an older release kept (a sorted set) to the tail of the listing, oldest
 * last, a chunk per script call; one call when there is none. Every reaper round runs it, so an
 * upgrade keeps every listed job, and so do ids an older API process still lists meanwhile.
 */
export async function migrateLegacyListing (client: RedisClient, keys: Keys): Promise<void> {
  let left: number
  do left = Number(await migrateLegacyListingCommand.run(client, [keys.jobs.legacyIndex, keys.jobs.listing], [MIGRATE_CHUNK]))
  while (left > 0)
}

/** Ids the listing's pruning checks per read. */
const PRUNE_CHUNK = 500
/** At most this many chunks per pruning round. */
const PRUNE_CHUNKS_PER_ROUND = 20

/**
 * Drops from the job listing the ids whose job is gone (expired). Only jobs created more than
 * `ttlMs` ago can have expired (a job expires `ttlMs` after it finished), and the listing is in
 * the order of creation, so a round starts at the oldest: when the oldest job not yet passed is
 * alive and younger than that, there is nothing to do (two reads). Else it checks a chunk of
 * `PRUNE_CHUNK` ids from there, and goes on while at least half of a chunk was gone, up to
 * `PRUNE_CHUNKS_PER_ROUND` chunks a round. Where a round stops, the next goes on (starting again
 * at the oldest once past the young ones or the head), so old jobs that live on (waiting, or kept
 * by an operator's retry) never hide expired ones behind them. Each process keeps its own place;
 * the listing keeps no per-job bookkeeping but the entry.
 */
export class JobListingPruner {
  /** How many ids from the tail (the oldest) the next chunk starts after. */
  private from = 0

  constructor (private readonly client: RedisClient, private readonly keys: Keys, private readonly ttlMs: number) {}

  /** One round. Returns how many ids left the listing. */
  async prune (): Promise<number> {
    const listing = this.keys.jobs.listing
    const oldest = Date.now() - this.ttlMs
    let removed = 0
    for (let chunk = 0; chunk < PRUNE_CHUNKS_PER_ROUND; chunk++) {
      const first = await this.client.lIndex(listing, -1 - this.from)
      if (first === null) {
        this.from = 0
        break
      }
      const [status, created] = await readJobFields(this.client, this.keys, first, ['status', 'created_at'])
      if (status !== null && Number(created) > oldest) {
        this.from = 0
        break
      }
      // Oldest last: from the tail, `from` ids in.
      const ids = await this.client.lRange(listing, -this.from - PRUNE_CHUNK, -1 - this.from)
      const statuses = await readStatuses(this.client, this.keys, ids)
      const gone = ids.filter((_, i) => statuses[i] === null)
      // Near the tail: LREM from the tail finds them early.
      removed += (await Promise.all(gone.map(async (id) => await this.client.lRem(listing, -1, id)))).reduce((sum, n) => sum + n, 0)
      this.from += ids.length - gone.length
      if (ids.length < PRUNE_CHUNK) {
        this.from = 0
        break
      }
      if (gone.length * 2 < ids.length) break
    }
    return removed
  }
}
