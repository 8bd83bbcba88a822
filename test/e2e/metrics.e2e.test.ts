// Metrics end to end: redis-server, the API and two workers as real processes, each worker serving
// its own /metrics on METRICS_PORT. A job run shows in the API's counters and histogram (read from
// the counters workers keep in Redis) and in its worker's; a SIGKILLed worker leaves workers alive.
import t from 'tap'
import { freePort, parsePrometheus, waitFor, type PromExposition } from '@genejobs/test-support'
import { startStack } from './helpers.js'

t.test('a job run moves the counters and histograms; a killed worker leaves genejobs_workers_alive', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { STALLED_AFTER_MS: '1000' } })
  const ports = [await freePort(), await freePort()]
  const workers = ports.map((port) => stack.startWorker({ METRICS_PORT: String(port) }))
  for (const worker of workers) await worker.waitForLog((line) => line.msg === 'worker started', 'worker started', 30_000)
  const logged = await workers[0]?.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('worker metrics'), 'metrics server')
  t.equal(logged?.['port'], ports[0], 'the worker says where its metrics are')
  const apiMetrics = async (): Promise<PromExposition> => {
    const res = await fetch(`${stack.baseUrl}/metrics`)
    t.equal(res.status, 200)
    return parsePrometheus(await res.text())
  }
  const workerMetrics = async (port: number) => parsePrometheus(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())

  t.equal((await stack.http('POST', '/data')).status, 201)
  const before = await apiMetrics()
  t.equal(before.value('genejobs_workers_alive'), 2)
  t.equal(before.value('genejobs_genes_loaded'), 8)
  t.equal(before.sum('genejobs_jobs_finished_total'), 0)

  const submitted = await stack.http('POST', '/jobs', { analysis: 'chromosomes', hgnc_id_start: 1, hgnc_id_end: 50000 })
  t.equal(submitted.status, 201)
  await waitFor(async () => (await stack.http('GET', `/jobs/${String(submitted.body.id)}`)).body.status === 'complete', { what: 'the job to complete' })

  const after = await waitFor(async () => {
    const m = await apiMetrics()
    return m.value('genejobs_jobs_finished_total', { analysis: 'chromosomes', outcome: 'complete' }) === 1 ? m : undefined
  }, { what: 'the API to report the finished job' })
  t.equal(after.value('genejobs_jobs_created_total', { analysis: 'chromosomes' }), 1)
  t.equal(after.value('genejobs_job_duration_seconds_count', { analysis: 'chromosomes' }), 1)
  t.equal(after.value('genejobs_job_duration_seconds_bucket', { analysis: 'chromosomes', le: '+Inf' }), 1)
  t.equal(after.value('genejobs_queue_pending_jobs'), 0)
  t.equal(after.value('genejobs_jobs_in_progress'), 0)
  t.equal(after.value('genejobs_http_request_duration_seconds_count', { method: 'POST', route: '/jobs', status_code: '201' }), 1)
  t.equal(after.value('genejobs_redis_up'), 1)

  // Exactly one of the two workers ran it, and says so in its own metrics.
  const perWorker = await Promise.all(ports.map(workerMetrics))
  t.same(perWorker.map((m) => m.value('genejobs_worker_job_attempts_total', { analysis: 'chromosomes', outcome: 'complete' }) ?? 0).sort(), [0, 1])
  t.equal(perWorker.reduce((n, m) => n + (m.value('genejobs_worker_job_duration_seconds_count', { analysis: 'chromosomes' }) ?? 0), 0), 1)
  const health = await fetch(`http://127.0.0.1:${ports[1] ?? 0}/health`)
  t.equal(health.status, 200)
  t.match(await health.json(), { status: 'ok', running: 0 })

  t.equal(await workers[0]?.stop('SIGKILL'), 'SIGKILL')
  const alive = await waitFor(async () => {
    const value = (await apiMetrics()).value('genejobs_workers_alive')
    return value === 1 ? value : undefined
  }, { what: 'workers alive to drop to 1 once the heartbeat expires (STALLED_AFTER_MS=1000)' })
  t.equal(alive, 1)
})
