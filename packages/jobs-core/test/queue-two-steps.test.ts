// On a Redis Cluster each transition is a step on the job's own slot, then a step on the queue's
// (forced here on one Redis: `twoSteps`).
// These tests stop a transition between its two steps, as a crash would, and check that the
// reaper and the next claim finish it: no accepted job lost, none run or completed twice.
import t from 'tap'
import { startTestRedis } from '@genejobs/test-support'
import { Command } from '../src/commands/index.js'
import { JobQueue } from '../src/queue.js'
import type { JobRequest } from '../src/schemas/jobs.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const { stores, keys } = redis
const queue = new JobQueue({ stores, keys, policy: { stalledAfterMs: 300, maxAttempts: 3, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 }, twoSteps: true })
const request: JobRequest = { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2' }
const q = keys.queue
const releaseClaim = new Command('release-claim-1')

t.beforeEach(async () => {
  await stores.jobs.flushAll()
})

t.test('a claim stopped after taking the id (its record never started): the reaper gives the job to another worker', async (t) => {
  const job = await queue.create(request)
  await stores.queue.lMove(q.pending, q.processing('A'), 'RIGHT', 'LEFT')
  await stores.queue.hSet(q.active, job.id, 'A')
  await stores.queue.sAdd(q.workers, 'A') // registered, no heartbeat: dead
  t.same(await queue.reap(), [job.id])
  const [started] = await queue.claim('B', 1)
  t.match(started, { id: job.id, status: 'in progress', attempts: 1 }, 'started once, by B')
  t.equal(await stores.queue.hGet(q.active, job.id), 'B')
})

t.test('a completion stopped after the record (the id still in the processing list): completed once, never run again', async (t) => {
  const job = await queue.create(request)
  const [claimed] = await queue.claim('A', 1)
  t.ok(claimed !== undefined && await queue.complete(claimed, 'A', { json: '{"done":1}' }))
  // As if the queue's step had never run: the id back in A's list and the active hash, A dead.
  await stores.queue.lPush(q.processing('A'), job.id)
  await stores.queue.hSet(q.active, job.id, 'A')
  await stores.queue.sAdd(q.workers, 'A')
  t.same(await queue.reap(), [job.id], 'the id goes back to the queue')
  t.same(await queue.claim('B', 1), [], 'the next claim drops a finished job')
  t.same(await queue.processing('B'), [])
  t.equal(await stores.queue.hGet(q.active, job.id), null)
  t.match(await queue.get(job.id), { status: 'complete', attempts: 1 })
  t.equal(await stores.results.hGet(keys.results.result(job.id), 'json'), '{"done":1}', 'the result as the one completion wrote it')
})

t.test('a completion sent again after a lost reply writes nothing twice and still settles the queue', async (t) => {
  const job = await queue.create(request)
  const [claimed] = await queue.claim('A', 1)
  if (claimed === undefined) throw new Error('no claim')
  t.same(await queue.completeMany('A', [{ claim: claimed, result: { json: '1' } }]), [true])
  t.same(await queue.completeMany('A', [{ claim: claimed, result: { json: '2' } }]), [false], 'counted once')
  t.equal(await stores.results.hGet(keys.results.result(job.id), 'json'), '1')
  t.same(await queue.processing('A'), [], 'off the processing list')
  const ttl = await stores.results.pTTL(keys.results.result(job.id))
  t.ok(ttl > 0 && ttl <= 60_000, `the finished job expires (${ttl} ms)`)
})

t.test('a retry after an attempt, sent again after a lost reply, queues the job once', async (t) => {
  const job = await queue.create(request)
  const [claimed] = await queue.claim('A', 1)
  if (claimed === undefined) throw new Error('no claim')
  t.equal(await queue.finishWithError(claimed, 'A', 'flaky', true), 'retry')
  t.equal(await queue.finishWithError(claimed, 'A', 'flaky', true), 'retry', 'the same answer again')
  t.same(await stores.queue.lRange(q.pending, 0, -1), [job.id], 'queued once')
})

t.test('a frozen worker waking between the reaper\'s two steps: its stale finish leaves the id for the reaper to re-queue', async (t) => {
  const job = await queue.create(request)
  const [claimed] = await queue.claim('A', 1)
  if (claimed === undefined) throw new Error('no claim')
  await stores.queue.sAdd(q.workers, 'A') // registered, no heartbeat: A froze
  // The reaper's first step only: the record released, the id not yet moved.
  t.equal(await releaseClaim.run(stores.jobs, [keys.jobs.record(job.id)], ['A', 'frozen', keys.jobs.events(''), job.id]), 'released')
  // A wakes: its completion is refused, and must not take the id off its list.
  t.notOk(await queue.complete(claimed, 'A', { json: '"late"' }), 'the late completion is stale')
  t.same(await queue.processing('A'), [job.id], 'the id left where the reaper finds it')
  // The reaper's next round finishes the move.
  t.same(await queue.reap(), [job.id])
  const [again] = await queue.claim('B', 1)
  t.match(again, { id: job.id, status: 'in progress', attempts: 2 }, 'another worker runs it')
})

t.test('an operator retry stopped after any of its steps: never lost, never queued twice', async (t) => {
  const failedJob = async () => {
    const job = await queue.create(request)
    const [claimed] = await queue.claim('A', 1)
    if (claimed === undefined) throw new Error('no claim')
    t.equal(await queue.finishWithError(claimed, 'A', 'broken', false), 'failed')
    return job
  }
  // Stopped after marking the record: the job is still failed, and a retry asked again works.
  const first = await failedJob()
  await stores.jobs.hSet(keys.jobs.record(first.id), 'retry_requested', '1')
  t.match(await queue.get(first.id), { status: 'failed' })
  t.match(await queue.retry(first.id), { status: 'submitted', attempts: 0 })
  t.same(await stores.queue.lRange(q.pending, 0, -1), [first.id], 'queued once')
  await t.rejects(queue.retry(first.id), { code: 'JOB_NOT_FAILED' }, 'a second retry is refused')
  t.match(await queue.claim('B', 1), [{ id: first.id, attempts: 1 }])
  // Stopped after queueing the id (the record still failed, marked): the claim resets and starts it.
  const second = await failedJob()
  await stores.jobs.hSet(keys.jobs.record(second.id), 'retry_requested', '1')
  await stores.queue.lPush(q.pending, second.id)
  const [started] = await queue.claim('B', 1)
  t.match(started, { id: second.id, status: 'in progress', attempts: 1 }, 'a fresh first attempt')
  t.notOk('error' in (started ?? {}), 'its old error cleared')
  t.equal(await stores.jobs.pTTL(keys.jobs.record(second.id)), -1, 'kept again (no expiry)')
})
