import { createServer, type Server } from 'node:http'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { JOB_DURATION_BUCKETS, type AttemptRecord, type Logger, type MetricsStore } from '@genejobs/jobs-core'

/** What `createWorkerMetrics` needs: where shared counters go, and how to read the worker's state. */
export interface WorkerMetricsOptions {
  /** The Redis counters every API process reports (`MetricsStore`); omitted: this process's metrics only. */
  store?: MetricsStore
  logger: Logger
  /** How many jobs the worker runs now. */
  running: () => number
  concurrency: number
}

/** A worker's metrics: the sink the `Worker` reports to, and the Prometheus registry behind `GET /metrics`. */
export interface WorkerMetrics {
  sink: { attempt: (record: AttemptRecord) => void, requeued: (count: number) => void }
  registry: Registry
}

/**
 * The worker's own Prometheus metrics (attempts, durations, re-queued jobs, process metrics), and
 * the same figures added to the shared Redis counters, batched once per event-loop turn. A count
 * that cannot be written (Redis down) is logged and dropped: metrics never hold a job up.
 */
export function createWorkerMetrics (options: WorkerMetricsOptions): WorkerMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const attempts = new Counter({ name: 'genejobs_worker_job_attempts_total', help: 'Job attempts this worker finished, by analysis and outcome (complete, failed, retry, stale).', labelNames: ['analysis', 'outcome'], registers: [registry] })
  const durations = new Histogram({ name: 'genejobs_worker_job_duration_seconds', help: 'How long this worker\'s job attempts ran, by analysis.', labelNames: ['analysis'], buckets: [...JOB_DURATION_BUCKETS], registers: [registry] })
  const requeued = new Counter({ name: 'genejobs_worker_requeued_jobs_total', help: 'Jobs this worker re-queued from dead workers (and its own, abandoned at shutdown).', registers: [registry] })
  new Gauge({ name: 'genejobs_worker_jobs_running', help: 'Jobs this worker runs now.', registers: [registry], collect () { this.set(options.running()) } }) // eslint-disable-line no-new
  new Gauge({ name: 'genejobs_worker_concurrency', help: 'How many jobs this worker runs at once at most (WORKER_CONCURRENCY).', registers: [registry] }).set(options.concurrency)

  let batch: AttemptRecord[] = []
  const flush = () => {
    const records = batch
    batch = []
    options.store?.record(records).catch((err: unknown) => { options.logger.warn({ err, attempts: records.length }, 'job metrics not recorded in Redis') })
  }
  return {
    registry,
    sink: {
      attempt (record) {
        attempts.inc({ analysis: record.analysis, outcome: record.outcome })
        durations.observe({ analysis: record.analysis }, record.seconds)
        if (batch.push(record) === 1) setImmediate(flush)
      },
      requeued (count) {
        if (count <= 0) return
        requeued.inc(count)
        options.store?.requeued(count).catch((err: unknown) => { options.logger.warn({ err }, 're-queued count not recorded in Redis') })
      }
    }
  }
}

/** The worker's metrics and health server: a bare `node:http` server, no framework. */
export interface MetricsServer {
  server: Server
  /** The port it listens on (useful with `METRICS_PORT=0`). */
  port: number
  /** From now on `GET /health` answers 503: the worker is stopping. */
  markStopping: () => void
  close: () => Promise<void>
}

/**
 * Serves `GET /metrics` (Prometheus text format) and `GET /health` (200 while the worker takes
 * jobs, 503 once it is stopping) on `port`. Anything else is a 404, in the API's error shape.
 */
export async function startMetricsServer (registry: Registry, options: { host: string, port: number, workerId: string, running: () => number }): Promise<MetricsServer> {
  let stopping = false
  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
  }
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { statusCode: 405, error: 'Method Not Allowed', message: `${req.method ?? ''} is not allowed: use GET` })
    } else if (path === '/metrics') {
      registry.metrics().then((text) => { res.writeHead(200, { 'content-type': registry.contentType }).end(text) },
        () => { send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' }) })
    } else if (path === '/health') {
      if (stopping) send(res, 503, { statusCode: 503, error: 'Service Unavailable', message: 'the worker is shutting down' })
      else send(res, 200, { status: 'ok', worker: options.workerId, running: options.running() })
    } else {
      send(res, 404, { statusCode: 404, error: 'Not Found', message: `Route ${req.method ?? ''}:${path ?? ''} not found: a worker serves GET /metrics and GET /health` })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => { resolve() })
  })
  const address = server.address()
  return {
    server,
    port: typeof address === 'object' && address !== null ? address.port : options.port,
    markStopping: () => { stopping = true },
    close: async () => { await new Promise<void>((resolve) => server.close(() => { resolve() })) }
  }
}
