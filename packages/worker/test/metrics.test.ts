import t from 'tap'
import pino from 'pino'
import { MetricsStore } from '@genejobs/jobs-core'
import { parsePrometheus, waitFor } from '@genejobs/test-support'
import { createWorkerMetrics, startMetricsServer } from '../src/metrics.js'
import { startHarness } from './loop/helper.js'

const harness = await startHarness(t)
const { jobs, submit, redis } = harness
const store = new MetricsStore(redis.stores, redis.keys)

async function finished (id: string) {
  return await waitFor(async () => {
    const job = await jobs.get(id)
    return job?.status === 'complete' || job?.status === 'failed' ? job : undefined
  }, { what: `job ${id} to finish`, timeoutMs: 20_000 })
}

t.test('a worker serves its own metrics and health; its jobs move its counters and the shared ones', async (t) => {
  let running = () => 0
  const metrics = createWorkerMetrics({ store, logger: pino({ level: 'silent' }), running: () => running(), concurrency: 2 })
  const worker = await harness.startWorker({ metrics: metrics.sink, concurrency: 2 })
  running = () => worker.active
  const server = await startMetricsServer(metrics.registry, { host: '127.0.0.1', port: 0, workerId: worker.id, running })
  t.teardown(async () => { await server.close() })
  const base = `http://127.0.0.1:${server.port}`
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`)
    t.equal(res.status, 200)
    t.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/)
    return parsePrometheus(await res.text())
  }

  const before = await scrape()
  t.equal(before.value('genejobs_worker_concurrency'), 2)
  t.equal(before.sum('genejobs_worker_job_attempts_total'), 0)
  t.ok((before.value('process_resident_memory_bytes') ?? 0) > 0, 'process metrics')

  t.equal((await finished(await submit({ analysis: 'test-sleep', ms: 30 }))).status, 'complete')
  t.equal((await finished(await submit({ analysis: 'test-throw', unrecoverable: true }))).status, 'failed')
  const retried = await submit({ analysis: 'test-throw' })
  t.equal((await finished(retried)).status, 'failed', 'failed after MAX_ATTEMPTS (3) attempts')

  const after = await scrape()
  t.equal(after.value('genejobs_worker_job_attempts_total', { analysis: 'test-sleep', outcome: 'complete' }), 1)
  t.equal(after.value('genejobs_worker_job_attempts_total', { analysis: 'test-throw', outcome: 'failed' }), 2)
  t.equal(after.value('genejobs_worker_job_attempts_total', { analysis: 'test-throw', outcome: 'retry' }), 2)
  t.equal(after.value('genejobs_worker_job_duration_seconds_count', { analysis: 'test-sleep' }), 1)
  t.equal(after.value('genejobs_worker_job_duration_seconds_bucket', { analysis: 'test-sleep', le: '0.01' }), 0, 'a 30 ms job is above 10 ms')
  t.equal(after.value('genejobs_worker_job_duration_seconds_bucket', { analysis: 'test-sleep', le: '+Inf' }), 1)
  t.ok((after.value('genejobs_worker_job_duration_seconds_sum', { analysis: 'test-sleep' }) ?? 0) >= 0.03)

  // The same figures reach Redis, where every API process reads them.
  const shared = await waitFor(async () => {
    const snapshot = await store.snapshot()
    return snapshot.attempts.reduce((n, a) => n + a.count, 0) === 5 ? snapshot : undefined
  }, { what: 'the shared counters to reach 5 attempts' })
  t.same(shared.attempts.filter((a) => a.analysis === 'test-throw').sort((a, b) => a.outcome.localeCompare(b.outcome)),
    [{ analysis: 'test-throw', outcome: 'failed', count: 2 }, { analysis: 'test-throw', outcome: 'retry', count: 2 }])
  t.equal(shared.durations.find((d) => d.analysis === 'test-sleep')?.count, 1)
  t.equal(shared.workersAlive, 1)

  const health = await fetch(`${base}/health`)
  t.same(await health.json(), { status: 'ok', worker: worker.id, running: 0 })
  server.markStopping()
  const stopping = await fetch(`${base}/health`)
  t.equal(stopping.status, 503)
  t.same(await stopping.json(), { statusCode: 503, error: 'Service Unavailable', message: 'the worker is shutting down' })
  const missing = await fetch(`${base}/nope`)
  t.equal(missing.status, 404)
  t.match(await missing.json(), { statusCode: 404, error: 'Not Found' })
  await worker.close()
  t.equal((await store.snapshot()).workersAlive, 0, 'a stopped worker leaves the live count')
})

t.test('jobs re-queued from a dead worker are counted', async (t) => {
  const metrics = createWorkerMetrics({ store, logger: pino({ level: 'silent' }), running: () => 0, concurrency: 1 })
  const before = (await store.snapshot()).requeued
  // A worker that claimed a job and died: its processing list holds the job, its heartbeat is gone.
  const id = await submit({ analysis: 'test-sleep', ms: 10 })
  await jobs.heartbeat('dead-worker')
  t.equal((await jobs.claim('dead-worker', 1)).map((job) => job.id).join(), id)
  await redis.stores.jobs.del(redis.keys.queue.heartbeat('dead-worker'))
  await harness.startWorker({ metrics: metrics.sink })
  t.equal((await finished(id)).status, 'complete')
  const requeued = await waitFor(async () => {
    const n = (await store.snapshot()).requeued
    return n > before ? n : undefined
  }, { what: 'the re-queued count to move' })
  t.equal(requeued, before + 1)
  t.equal(parsePrometheus(await metrics.registry.metrics()).value('genejobs_worker_requeued_jobs_total'), 1)
})
