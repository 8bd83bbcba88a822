import type { Registry, Metric } from 'prom-client'
import { JOB_DURATION_BUCKETS, type MetricsSnapshot } from '@genejobs/jobs-core'

type Labels = Record<string, string | number>
type Sample = { value: number, labels?: Labels, metricName?: string }
type Kind = 'counter' | 'gauge' | 'histogram'

/**
 * Registers the figures read from Redis at scrape time (queue, workers, the job counters workers
 * keep, the gene data) on `registry`. `latest()` gives the snapshot read for the current scrape, or
 * null when Redis did not answer: then these metrics have no samples and `genejobs_redis_up` is 0.
 * They are the same from every API process: aggregate them with `max`, never `sum`.
 */
export function registerClusterMetrics (registry: Registry, latest: () => MetricsSnapshot | null): void {
  const define = (name: string, help: string, type: Kind, samples: (s: MetricsSnapshot) => Sample[]) => {
    const metric = {
      name,
      help,
      type,
      aggregator: 'max',
      get: () => {
        const snapshot = latest()
        return { name, help, type, aggregator: 'max', values: snapshot === null ? [] : samples(snapshot) }
      }
    }
    // prom-client formats any object with `get()`; its types list only its own classes.
    registry.registerMetric(metric as unknown as Metric)
  }
  define('genejobs_queue_pending_jobs', 'Jobs waiting in the pending list for a worker.', 'gauge', (s) => [{ value: s.pending }])
  define('genejobs_queue_delayed_jobs', 'Jobs backing off before a retry.', 'gauge', (s) => [{ value: s.delayed }])
  define('genejobs_jobs_in_progress', 'Jobs a worker has claimed and not finished.', 'gauge', (s) => [{ value: s.inProgress }])
  define('genejobs_workers_alive', 'Registered workers whose heartbeat has not expired (STALLED_AFTER_MS).', 'gauge', (s) => [{ value: s.workersAlive }])
  define('genejobs_stalled_jobs_requeued_total', 'Jobs re-queued from workers that died, or stopped with jobs in hand.', 'counter', (s) => [{ value: s.requeued }])
  define('genejobs_job_attempts_total', 'Finished job attempts, by analysis and outcome (complete, failed, retry, stale).', 'counter',
    (s) => s.attempts.map(({ analysis, outcome, count }) => ({ value: count, labels: { analysis, outcome } })))
  define('genejobs_jobs_finished_total', 'Jobs finished, by analysis and outcome (complete, or failed for good).', 'counter',
    (s) => s.attempts.filter(({ outcome }) => outcome === 'complete' || outcome === 'failed').map(({ analysis, outcome, count }) => ({ value: count, labels: { analysis, outcome } })))
  define('genejobs_job_retries_total', 'Failed job attempts re-queued for another try, by analysis.', 'counter',
    (s) => s.attempts.filter(({ outcome }) => outcome === 'retry').map(({ analysis, count }) => ({ value: count, labels: { analysis } })))
  define('genejobs_job_duration_seconds', 'How long job attempts ran on the workers (any outcome), by analysis.', 'histogram', (s) => s.durations.flatMap(({ analysis, buckets, sum, count }) => {
    let cumulative = 0
    const bounds = [...JOB_DURATION_BUCKETS.map(String), '+Inf']
    return [
      ...bounds.map((le, i) => {
        cumulative += buckets[i] ?? 0
        return { metricName: 'genejobs_job_duration_seconds_bucket', labels: { analysis, le }, value: cumulative }
      }),
      { metricName: 'genejobs_job_duration_seconds_sum', labels: { analysis }, value: sum },
      { metricName: 'genejobs_job_duration_seconds_count', labels: { analysis }, value: count }
    ]
  }))
  define('genejobs_genes_loaded', 'Genes in the current gene data version.', 'gauge', (s) => s.genes === null ? [] : [{ value: s.genes.count }])
  define('genejobs_genes_load_duration_seconds', 'How long loading the current gene data version took.', 'gauge', (s) => s.genes === null ? [] : [{ value: s.genes.loadSeconds }])
}
