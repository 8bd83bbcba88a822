// GET /queue and POST /jobs/:id/retry through inject, on a real Redis.
import t from 'tap'
import { JobQueue } from '@genejobs/jobs-core'
import { buildTestApp, claimJob } from '../helper.js'

const TOKEN = 'queue-test-admin-token-0123456789'
const { app, redis } = await buildTestApp(t, { API_ADMIN_TOKEN: TOKEN })
await app.inject({ method: 'POST', url: '/data', headers: { authorization: `Bearer ${TOKEN}` } })
const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: redis.config.jobs })
const admin = { authorization: `Bearer ${TOKEN}` }

const submit = async (): Promise<string> => {
  const res = await app.inject({ method: 'POST', url: '/jobs', payload: { hgnc_id_start: '1', hgnc_id_end: '10' } })
  t.equal(res.statusCode, 201)
  return res.json().id as string
}

/** A job failed for good by a worker, with `reason`. */
const failedJob = async (reason: string): Promise<string> => {
  const id = await submit()
  await claimJob(app, queue, id)
  t.equal(await queue.finishWithError({ id, attempts: 1 }, 'test-worker', reason, false), 'failed')
  return id
}

t.test('GET /queue: depth, in progress, workers with heartbeat age, recent failures', async (t) => {
  await queue.heartbeat('worker-a', { host: 'lab-1', pid: 4242, started_at: '2026-01-01T00:00:00.000Z' })
  await queue.heartbeat('worker-legacy')
  await queue.heartbeat('test-worker')
  const failed = await failedJob('the analysis blew up')
  const running = await submit()
  await claimJob(app, queue, running)
  await submit()
  await submit()
  const res = await app.inject({ method: 'GET', url: '/queue' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { pending: 2, in_progress: 1, delayed: 0, listed: 4 })
  t.same(body.recent_failed, [{ id: failed, analysis: 'approval-timeline', attempts: 1, error: 'the analysis blew up', finished_at: body.recent_failed[0].finished_at }])
  const byId: Record<string, { id: string, host?: string, pid?: number, heartbeat_age_ms?: number }> = Object.fromEntries((body.workers as Array<{ id: string }>).map((worker) => [worker.id, worker]))
  const age = byId['worker-a']?.heartbeat_age_ms ?? -1
  t.match(byId['worker-a'], { id: 'worker-a', alive: true, host: 'lab-1', pid: 4242, started_at: '2026-01-01T00:00:00.000Z', heartbeat_at: String, jobs: 0 })
  t.ok(age >= 0 && age < 10_000, `a fresh heartbeat (${age} ms)`)
  t.match(byId['worker-legacy'], { id: 'worker-legacy', alive: true, heartbeat_age_ms: Number })
  t.match(byId['worker-legacy'], { host: String, pid: process.pid }, 'by default a worker is the process that heartbeats')
  t.match(byId['test-worker'], { id: 'test-worker', alive: true, jobs: 1 }, 'the worker holding the running job')
  const ttl = await redis.stores.queue.pTTL(redis.keys.queue.workerInfo('worker-a'))
  t.ok(ttl > 0 && ttl <= 2 * redis.config.jobs.stalledAfterMs, `the worker registry entry expires (${ttl} ms)`)
  await queue.unregister('worker-a')
  t.notOk((await app.inject({ method: 'GET', url: '/queue' })).json().workers.some((w: { id: string }) => w.id === 'worker-a'), 'a stopped worker is gone')
  t.equal(await redis.stores.queue.exists(redis.keys.queue.workerInfo('worker-a')), 0)
})

t.test('POST /jobs/:id/retry queues a failed job again with fresh attempts', async (t) => {
  const id = await failedJob('temporary outage')
  const res = await app.inject({ method: 'POST', url: `/jobs/${id}/retry`, headers: admin })
  t.equal(res.statusCode, 200)
  const job = res.json()
  t.same({ ...job, created_at: undefined }, { id, status: 'submitted', analysis: 'approval-timeline', params: { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:10' }, attempts: 0 })
  t.same((await app.inject({ method: 'GET', url: `/jobs/${id}` })).json(), job)
  t.equal(await redis.stores.jobs.pTTL(redis.keys.jobs.record(id)), -1, 'kept again (no expiry)')
  t.ok(await redis.stores.jobs.lPos(redis.keys.jobs.listing, id) !== null, 'still listed')
  t.ok(await redis.stores.queue.lPos(redis.keys.queue.pending, id) !== null, 'back on the pending list')
  await claimJob(app, queue, id)
  t.match(await queue.get(id), { status: 'in progress', attempts: 1 }, 'a worker takes it with a fresh first attempt')
  t.ok(await queue.complete({ id, attempts: 1 }, 'test-worker', { json: '{}' }))
})

t.test('refusals change nothing: no token, a wrong token, an unknown job, a job not failed', async (t) => {
  const failed = await failedJob('stays failed')
  const submitted = await submit()
  const before = await redis.snapshot()
  const missing = await app.inject({ method: 'POST', url: `/jobs/${failed}/retry` })
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), { statusCode: 401, error: 'Unauthorized', message: 'POST /jobs/:id/retry needs the admin token: send Authorization: Bearer <API_ADMIN_TOKEN>' })
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="genejobs"')
  const wrong = await app.inject({ method: 'POST', url: `/jobs/${failed}/retry`, headers: { authorization: 'Bearer not-the-token' } })
  t.equal(wrong.statusCode, 403)
  t.same(wrong.json(), { statusCode: 403, error: 'Forbidden', message: 'the admin token is not valid' })
  const unknown = '11111111-2222-4333-8444-555555555555'
  const notFound = await app.inject({ method: 'POST', url: `/jobs/${unknown}/retry`, headers: admin })
  t.equal(notFound.statusCode, 404)
  t.same(notFound.json(), { statusCode: 404, error: 'Not Found', message: `no job with id ${unknown}` })
  const conflict = await app.inject({ method: 'POST', url: `/jobs/${submitted}/retry`, headers: admin })
  t.equal(conflict.statusCode, 409)
  t.same(conflict.json(), { statusCode: 409, error: 'Conflict', message: `job ${submitted} is submitted: only a failed job can be retried` })
  const malformed = await app.inject({ method: 'POST', url: '/jobs/nope/retry', headers: admin })
  t.equal(malformed.statusCode, 404)
  t.match(malformed.json(), { statusCode: 404, error: 'Not Found', message: /^params\/id/ })
  t.same(await redis.snapshot(), before, 'nothing was stored or changed')
})
