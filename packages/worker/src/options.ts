import type { AttemptRecord, Keys, Logger, JobPolicy, Stores } from '@genejobs/jobs-core'
import type { Analysis } from '@genejobs/analyses'

/**
 * What a worker needs. The caller creates (and later closes) the stores; the worker opens and
 * closes the one connection of its own it needs, for its blocking pop.
 */
export interface WorkerOptions {
  stores: Stores
  keys: Keys
  logger: Logger
  analyses: Map<string, Analysis>
  /** Jobs run at once by this process. */
  concurrency: number
  /** Attempts, stall detection (heartbeats and reaper rounds run three times per stall period), TTLs. */
  policy: JobPolicy
  /** How long `close()` waits for jobs in hand before putting them back on the queue (ms). */
  shutdownTimeoutMs: number
  /** Test analyses only: how `test-count` counts its runs. */
  countRun?: (tag: string) => Promise<number>
  /** Seconds one blocking wait lasts; short, so `close()` is prompt. */
  blockSeconds?: number
  id?: string
  /** Told of every finished attempt and of jobs re-queued from dead workers (metrics; see metrics.ts). */
  metrics?: { attempt: (record: AttemptRecord) => void, requeued: (count: number) => void }
}

/** What a worker has done since it started, for logs and tests. */
export interface WorkerStats {
  completed: number
  failed: number
  retried: number
  stale: number
  requeuedFromDeadWorkers: number
}
