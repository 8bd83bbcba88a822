import { Command } from './commands/index.js'
import type { Job } from './queue.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import type { JobStatus } from './schemas/jobs.js'

const pruneExpiredJobs = new Command('prune-expired-jobs-2')

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
  /** Jobs in the listing (every status, until they expire). */
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
    client.lLen(q.pending), client.hLen(q.active), client.zCard(q.delayed), client.zCard(keys.jobs.index), client.sMembers(q.workers)
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

/**
 * Job ids, newest first, optionally only those with one status (looked for among the newest
 * `scan` jobs at most, by default all). Expired jobs are pruned first. Each record is read on its
 * own slot (pipelined), the listing on the queue's.
 */
export async function listJobIds (client: RedisClient, keys: Keys, options: { status?: JobStatus, limit?: number, scan?: number }): Promise<string[]> {
  const limit = options.limit ?? 100
  const scan = options.scan ?? Infinity
  const k = keys.jobs
  await pruneExpiredJobs.run(client, [k.expiries, k.index], [Date.now()])
  if (options.status === undefined) return await client.zRange(k.index, 0, limit - 1, { REV: true })
  const found: string[] = []
  const page = 500
  for (let start = 0; found.length < limit && start < scan; start += page) {
    const ids = await client.zRange(k.index, start, Math.min(start + page, scan) - 1, { REV: true })
    if (ids.length === 0) break
    const statuses = await Promise.all(ids.map(async (id) => await client.hGet(k.record(id), 'status')))
    ids.forEach((id, i) => { if (statuses[i] === options.status && found.length < limit) found.push(id) })
  }
  return found
}
