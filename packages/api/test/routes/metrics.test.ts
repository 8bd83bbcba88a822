import t from 'tap'
import { JOB_DURATION_BUCKETS, MetricsStore } from '@genejobs/jobs-core'
import { parsePrometheus, waitFor } from '@genejobs/test-support'
import { buildTestApp } from '../helper.js'

const { app, redis } = await buildTestApp(t)
const scrape = async () => {
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  return parsePrometheus(res.body)
}

t.test('GET /metrics is the Prometheus text format, with every family typed', async (t) => {
  const metrics = await scrape()
  for (const [name, type] of Object.entries({
    genejobs_http_request_duration_seconds: 'histogram',
    genejobs_jobs_created_total: 'counter',
    genejobs_jobs_finished_total: 'counter',
    genejobs_job_attempts_total: 'counter',
    genejobs_job_retries_total: 'counter',
    genejobs_job_duration_seconds: 'histogram',
    genejobs_queue_pending_jobs: 'gauge',
    genejobs_queue_delayed_jobs: 'gauge',
    genejobs_jobs_in_progress: 'gauge',
    genejobs_workers_alive: 'gauge',
    genejobs_stalled_jobs_requeued_total: 'counter',
    genejobs_genes_loaded: 'gauge',
    genejobs_genes_load_duration_seconds: 'gauge',
    genejobs_redis_up: 'gauge',
    process_cpu_user_seconds_total: 'counter'
  })) t.equal(metrics.types.get(name), type, `${name} is a ${type}`)
  t.equal(metrics.value('genejobs_redis_up'), 1)
  t.equal(metrics.value('genejobs_genes_loaded'), undefined, 'no gene data yet: no sample')
})

t.test('requests, loads and submitted jobs move the figures', async (t) => {
  t.equal((await app.inject({ method: 'POST', url: '/data' })).statusCode, 201)
  for (const id of ['5', '37133', '5']) await app.inject({ method: 'GET', url: `/genes/${id}` })
  for (const path of ['/no-such-route-1', '/no-such-route-2']) t.equal((await app.inject({ method: 'GET', url: path })).statusCode, 404)
  const job = await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'locus-types', hgnc_id_start: 1, hgnc_id_end: 50000 } })
  t.equal(job.statusCode, 201)
  const metrics = await scrape()
  t.equal(metrics.value('genejobs_http_request_duration_seconds_count', { method: 'GET', route: '/genes/:hgnc_id', status_code: '200' }), 3, 'labelled by route pattern, not path')
  t.equal(metrics.value('genejobs_http_request_duration_seconds_count', { method: 'POST', route: '/jobs', status_code: '201' }), 1)
  t.equal(metrics.value('genejobs_jobs_created_total', { analysis: 'locus-types' }), 1)
  t.equal(metrics.value('genejobs_queue_pending_jobs'), 1, 'the job waits: no worker runs')
  const count = (await app.genes.info())?.genes
  t.ok(count !== undefined && count > 0)
  t.equal(metrics.value('genejobs_genes_loaded'), count)
  t.ok((metrics.value('genejobs_genes_load_duration_seconds') ?? -1) >= 0)
  t.ok(metrics.samples.every((s) => !s.labels['route']?.includes('37133')), 'no series per gene id')
  t.equal(metrics.value('genejobs_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' }), 2, 'unknown paths share one series')
  t.ok(metrics.samples.every((s) => !s.labels['route']?.includes('no-such-route')), 'no series per unknown path')
})

t.test('what workers record in Redis is reported by the API: outcomes, retries, the duration histogram', async (t) => {
  const store = new MetricsStore(redis.stores, redis.keys)
  await store.record([
    { analysis: 'chromosomes', outcome: 'complete', seconds: 0.02 },
    { analysis: 'chromosomes', outcome: 'complete', seconds: 3 },
    { analysis: 'chromosomes', outcome: 'retry', seconds: 0.5 },
    { analysis: 'chromosomes', outcome: 'failed', seconds: 1000 }
  ])
  await store.requeued(2)
  await redis.stores.jobs.multi().set(redis.keys.queue.heartbeat('w1'), '1', { PX: 60_000 }).sAdd(redis.keys.queue.workers, ['w1', 'w2']).exec()
  const metrics = await scrape()
  t.equal(metrics.value('genejobs_jobs_finished_total', { analysis: 'chromosomes', outcome: 'complete' }), 2)
  t.equal(metrics.value('genejobs_jobs_finished_total', { analysis: 'chromosomes', outcome: 'failed' }), 1)
  t.equal(metrics.value('genejobs_jobs_finished_total', { outcome: 'retry' }), undefined, 'a retry is not a finished job')
  t.equal(metrics.value('genejobs_job_retries_total', { analysis: 'chromosomes' }), 1)
  t.equal(metrics.value('genejobs_job_attempts_total', { analysis: 'chromosomes', outcome: 'retry' }), 1)
  t.equal(metrics.value('genejobs_stalled_jobs_requeued_total'), 2)
  t.equal(metrics.value('genejobs_workers_alive'), 1, 'w2 is registered but has no heartbeat')
  const bucket = (le: string) => metrics.value('genejobs_job_duration_seconds_bucket', { analysis: 'chromosomes', le })
  t.equal(bucket('0.01'), 0)
  t.equal(bucket('0.025'), 1)
  t.equal(bucket('0.5'), 2)
  t.equal(bucket('5'), 3)
  t.equal(bucket(String(JOB_DURATION_BUCKETS.at(-1))), 3, 'the 1000 s attempt is above every bound')
  t.equal(bucket('+Inf'), 4)
  t.equal(metrics.value('genejobs_job_duration_seconds_count', { analysis: 'chromosomes' }), 4)
  t.ok(Math.abs((metrics.value('genejobs_job_duration_seconds_sum', { analysis: 'chromosomes' }) ?? 0) - 1003.52) < 1e-9)
})

t.test('with Redis down, /metrics still answers: redis_up 0 and no Redis figures', async (t) => {
  await redis.server.kill()
  t.teardown(async () => { await redis.server.restart() })
  const metrics = await waitFor(async () => {
    const m = await scrape()
    return m.value('genejobs_redis_up') === 0 ? m : undefined
  }, { what: 'redis_up to drop to 0' })
  t.equal(metrics.value('genejobs_queue_pending_jobs'), undefined)
  t.ok((metrics.value('genejobs_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status_code: '200' }) ?? 0) >= 1, 'in-process figures remain')
})
