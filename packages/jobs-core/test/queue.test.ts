import t from 'tap'
import { createRedisClient } from '../src/redis.js'
import { startTestRedis, waitFor } from '@genejobs/test-support'
import { JobStore } from '../src/jobs.js'
import { JobQueue } from '../src/queue.js'
import type { JobRequest } from '../src/schemas/jobs.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const { stores, keys } = redis
const jobs = new JobStore({ stores, keys })
const queue = new JobQueue({ stores, keys, stalledAfterMs: 300, maxAttempts: 2, jobTtlMs: 60_000 })
const request: JobRequest = { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2' }

t.beforeEach(async () => {
  await stores.jobs.flushAll()
})

t.test('claim takes the oldest jobs first, up to the count asked', async (t) => {
  const a = await jobs.create(request)
  const b = await jobs.create(request)
  const c = await jobs.create(request)
  const claimed = await queue.claim('w1', 2)
  t.same(claimed.map((job) => job.id), [a.id, b.id])
  t.same((await queue.processing('w1')).sort(), [a.id, b.id].sort(), 'moved to the processing list, not removed')
  t.equal(await queue.depth(), 1)
  t.same((await queue.claim('w2', 5)).map((job) => job.id), [c.id])
  t.same(await queue.claim('w2', 5), [])
})

t.test('a blocking wait returns the next id as soon as one is queued', async (t) => {
  const blocking = createRedisClient(redis.config.redis, { database: redis.config.databases.queue, name: 'test-blocking' })
  await blocking.connect()
  t.teardown(async () => { await blocking.close() })
  t.equal(await queue.waitForJob(blocking, 'w1', 0.1), null, 'times out on an empty queue')
  const waiting = queue.waitForJob(blocking, 'w1', 5)
  const job = await jobs.create(request)
  t.equal(await waiting, job.id)
  const [started] = await queue.claim('w1', 0, [job.id])
  t.equal(started?.['status'], 'in progress')
})

t.test('ids of finished or vanished jobs are dropped, not started', async (t) => {
  const job = await jobs.create(request)
  await stores.jobs.hSet(keys.jobs.record(job.id), 'status', 'complete')
  await stores.queue.lPush(keys.queue.pending, '3b241101-e2bb-4255-8caf-4136c566a962') // no record
  t.same(await queue.claim('w1', 5), [])
  t.same(await queue.processing('w1'), [])
})

t.test('the reaper re-queues the jobs of a worker whose heartbeat expired, and only those', async (t) => {
  const dead = await jobs.create(request)
  const alive = await jobs.create(request)
  await queue.heartbeat('dead-worker')
  await queue.heartbeat('live-worker')
  await queue.claim('dead-worker', 1)
  await queue.claim('live-worker', 1)
  t.same(await queue.reap(), [], 'both heartbeats are fresh')
  // live-worker keeps beating; dead-worker stops.
  const requeued = await waitFor(async () => {
    await queue.heartbeat('live-worker')
    const ids = await queue.reap()
    return ids.length > 0 ? ids : undefined
  }, { what: 'the dead worker to be reaped', timeoutMs: 5000 })
  t.same(requeued, [dead.id])
  const job = await jobs.get(dead.id)
  t.equal(job?.status, 'submitted')
  t.match(job?.last_error, /stopped responding \(no heartbeat for 300 ms\)/)
  t.same(await queue.processing('dead-worker'), [])
  t.same(await queue.processing('live-worker'), [alive.id], 'a live worker keeps its job')
  t.notOk(await stores.queue.sIsMember(keys.queue.workers, 'dead-worker'), 'the dead worker is forgotten')
  // The next claim is the job's second attempt.
  const [again] = await queue.claim('live-worker', 1)
  t.same([again?.id, again?.['attempts']], [dead.id, '2'])
})

t.test('a job whose workers keep dying fails after MAX_ATTEMPTS with the reason', async (t) => {
  const job = await jobs.create(request)
  for (let i = 0; i < 2; i++) {
    await queue.claim(`doomed-${i}`, 1)
    await stores.queue.sAdd(keys.queue.workers, `doomed-${i}`) // registered, but no heartbeat: dead
    t.same(await queue.reap(), [job.id])
  }
  t.same(await queue.claim('w', 1), [], 'not started a third time')
  const failed = await jobs.get(job.id)
  t.equal(failed?.status, 'failed')
  t.match(failed?.error, /^failed after 2 attempts: the worker running it stopped responding/)
  t.same(await queue.processing('w'), [])
})

t.test('two reapers at once re-queue each job once', async (t) => {
  const created = await Promise.all(Array.from({ length: 20 }, async () => await jobs.create(request)))
  await queue.claim('gone', 20)
  await stores.queue.sAdd(keys.queue.workers, 'gone')
  const [first, second] = await Promise.all([queue.reap(), queue.reap()])
  t.equal(first.length + second.length, 20)
  t.same((await stores.queue.lRange(keys.queue.pending, 0, -1)).sort(), created.map((job) => job.id).sort(), 'each id queued once')
})
