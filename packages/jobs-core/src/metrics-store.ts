import type { Keys } from './keys.js'
import type { Stores } from './redis.js'

/** How one attempt at a job ended: complete, failed for good, re-queued for a retry, or no longer its worker's. */
export type AttemptOutcome = 'complete' | 'failed' | 'retry' | 'stale'

/** One finished attempt, as a worker reports it. */
export interface AttemptRecord {
  analysis: string
  outcome: AttemptOutcome
  /** How long the attempt ran, in seconds. */
  seconds: number
}

/** Upper bounds (seconds) of the job duration histogram buckets, workers' and the API's alike. */
export const JOB_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const

/** Cluster-wide figures read from Redis at scrape time (the same from every API process). */
export interface MetricsSnapshot {
  /** Jobs waiting in the pending list. */
  pending: number
  /** Jobs backing off before a retry. */
  delayed: number
  /** Jobs a worker has claimed and not finished. */
  inProgress: number
  /** Registered workers whose heartbeat has not expired. */
  workersAlive: number
  /** Attempts by analysis and outcome. */
  attempts: Array<{ analysis: string, outcome: AttemptOutcome, count: number }>
  /** Attempt durations by analysis: per-bucket counts (not cumulative; the last one is +Inf), sum and count. */
  durations: Array<{ analysis: string, buckets: number[], sum: number, count: number }>
  /** Jobs re-queued from workers that died or stopped with jobs in hand. */
  requeued: number
  /** The current gene data version: genes and how long its load took; null when nothing is loaded. */
  genes: { count: number, loadSeconds: number } | null
}

const SEP = '\t'

/**
 * Job counters kept in Redis (one hash, `keys.metrics.jobs`) so that every API process can report
 * what all workers did: workers `record` each finished attempt, the API reads a `snapshot` when
 * Prometheus scrapes it. Each read is O(1) in jobs: list lengths, one small hash, the heartbeats.
 */
export class MetricsStore {
  constructor (private readonly stores: Stores, private readonly keys: Keys) {}

  /** Counts finished attempts: outcome, and the duration's histogram bucket, sum and count, in one round trip. */
  async record (attempts: AttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return
    const key = this.keys.metrics.jobs
    const multi = this.stores.jobs.multi()
    for (const { analysis, outcome, seconds } of attempts) {
      const bucket = JOB_DURATION_BUCKETS.findIndex((le) => seconds <= le)
      multi.hIncrBy(key, ['attempts', analysis, outcome].join(SEP), 1)
        .hIncrBy(key, ['bucket', analysis, bucket === -1 ? '+Inf' : String(JOB_DURATION_BUCKETS[bucket])].join(SEP), 1)
        .hIncrByFloat(key, ['sum', analysis].join(SEP), seconds)
        .hIncrBy(key, ['count', analysis].join(SEP), 1)
    }
    await multi.exec()
  }

  /** Counts jobs re-queued from dead or stopping workers. */
  async requeued (count: number): Promise<void> {
    if (count > 0) await this.stores.jobs.hIncrBy(this.keys.metrics.jobs, 'requeued', count)
  }

  /** Reads the queue's lengths, the live heartbeats, the job counters and the current data version. */
  async snapshot (): Promise<MetricsSnapshot> {
    const q = this.keys.queue
    const jobs = this.stores.jobs
    const [pending, delayed, inProgress, workers, counters] = await Promise.all([
      jobs.lLen(q.pending), jobs.zCard(q.delayed), jobs.hLen(q.active), jobs.sMembers(q.workers), jobs.hGetAll(this.keys.metrics.jobs)
    ])
    const beats = workers.length === 0 ? [] : await jobs.mGet(workers.map((id) => q.heartbeat(id)))
    const workersAlive = beats.filter((beat) => beat !== null).length
    const snapshot: MetricsSnapshot = { pending, delayed, inProgress, workersAlive, attempts: [], durations: [], requeued: Number(counters['requeued'] ?? 0), genes: await this.genes() }
    const byAnalysis = new Map<string, MetricsSnapshot['durations'][number]>()
    const histogram = (analysis: string) => {
      let entry = byAnalysis.get(analysis)
      if (entry === undefined) byAnalysis.set(analysis, entry = { analysis, buckets: new Array<number>(JOB_DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 })
      return entry
    }
    for (const [field, value] of Object.entries(counters)) {
      const [kind, analysis = '', extra = ''] = field.split(SEP)
      if (kind === 'attempts') snapshot.attempts.push({ analysis, outcome: extra as AttemptOutcome, count: Number(value) })
      else if (kind === 'bucket') {
        const index = extra === '+Inf' ? JOB_DURATION_BUCKETS.length : JOB_DURATION_BUCKETS.indexOf(Number(extra) as typeof JOB_DURATION_BUCKETS[number])
        if (index !== -1) histogram(analysis).buckets[index] = Number(value)
      } else if (kind === 'sum') histogram(analysis).sum = Number(value)
      else if (kind === 'count') histogram(analysis).count = Number(value)
    }
    snapshot.durations = [...byAnalysis.values()]
    return snapshot
  }

  private async genes (): Promise<MetricsSnapshot['genes']> {
    const g = this.keys.genes
    const version = await this.stores.genes.get(g.current)
    if (version === null) return null
    const [count, ms] = await this.stores.genes.hmGet(g.meta(version), ['count', 'ms'])
    return count === null || count === undefined ? null : { count: Number(count), loadSeconds: Number(ms ?? 0) / 1000 }
  }
}
