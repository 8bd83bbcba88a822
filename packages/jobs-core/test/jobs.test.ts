import t from 'tap'
import { startTestRedis, waitFor } from '@genejobs/test-support'
import { checkJobId, JobQueue, type Job } from '../src/queue.js'
import type { JobRequest } from '../src/schemas/jobs.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const { stores, keys } = redis
const queue = new JobQueue({ stores, keys, policy: { stalledAfterMs: 1000, maxAttempts: 3, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 } })
const jobs = queue
const request: JobRequest = { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }

t.beforeEach(async () => {
  await stores.jobs.flushAll()
})

t.test('create writes the record, lists it and queues its id, in the jobs database (not the gene data\'s)', async (t) => {
  const job = await jobs.create(request)
  t.match(job.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.same({ status: job.status, analysis: job.analysis, params: job.params, attempts: job.attempts },
    { status: 'submitted', analysis: 'approval-timeline', params: { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }, attempts: 0 })
  t.same(await jobs.get(job.id), job)
  t.same(await stores.queue.lRange(keys.queue.pending, 0, -1), [job.id], 'queued in the queue store (db 1)')
  t.equal(await stores.jobs.exists(keys.jobs.record(job.id)), 1, 'record in the jobs store (db 1)')
  t.equal(await stores.genes.exists(keys.jobs.record(job.id)), 0, 'not in the gene database')
  t.same(await jobs.list(), [job.id])
})

t.test('ids are checked before Redis is asked', async (t) => {
  t.equal(checkJobId('3B241101-E2BB-4255-8CAF-4136C566A962'), '3b241101-e2bb-4255-8caf-4136c566a962')
  t.throws(() => checkJobId('nope'), { code: 'INVALID_ID' })
  await t.rejects(jobs.get('../../etc/passwd'), { code: 'INVALID_ID' })
  t.equal(await jobs.get('3b241101-e2bb-4255-8caf-4136c566a962'), null)
})

t.test('list is newest first, filters by status and honours the limit', async (t) => {
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    ids.push((await jobs.create(request)).id)
    await new Promise((resolve) => setTimeout(resolve, 2)) // distinct creation milliseconds
  }
  t.same(await jobs.list(), [...ids].reverse())
  t.same(await jobs.list({ limit: 2 }), [ids[4], ids[3]])
  const [claimed] = await queue.claim('w1', 1)
  t.equal(claimed?.id, ids[0], 'the oldest job is taken first')
  t.same(await jobs.list({ status: 'in progress' }), [ids[0]])
  t.same(await jobs.list({ status: 'submitted', limit: 3 }), [ids[4], ids[3], ids[2]])
  t.same(await jobs.list({ status: 'failed' }), [])
})

t.test('complete stores the result and finishes the job once, for its holder only', async (t) => {
  const job = await jobs.create(request)
  const [claimed] = await queue.claim('w1', 1)
  t.equal(claimed?.status, 'in progress')
  t.equal(claimed?.attempts, 1)
  const claim = { id: job.id, attempts: 1 }
  t.notOk(await jobs.complete(claim, 'someone-else', { json: '{"x":1}' }), 'not the holder')
  t.equal((await jobs.get(job.id))?.status, 'in progress')
  t.ok(await jobs.complete(claim, 'w1', { json: '{"x":2}', svg: '<svg/>' }))
  const done = await jobs.get(job.id)
  t.equal(done?.status, 'complete')
  t.equal(done?.progress, 100)
  t.ok(done?.finished_at)
  const finished = await stores.results.hGetAll(keys.results.result(job.id))
  t.same({ json: finished['json'], svg: finished['svg'], status: finished['status'], analysis: finished['analysis'] }, { json: '{"x":2}', svg: '<svg/>', status: 'complete', analysis: request.analysis }, 'the result and the record, one hash')
  t.notOk('worker' in finished || 'progress' in finished, 'who ran it and its progress are not kept')
  t.equal(await stores.jobs.exists(keys.jobs.record(job.id)), 0, 'the record key is gone: a finished job is one key')
  t.same(await queue.processing('w1'), [], 'off the processing list')
  t.notOk(await jobs.complete(claim, 'w1', { json: '{"x":3}' }), 'a finished job never goes back')
  t.equal(await stores.results.hGet(keys.results.result(job.id), 'json'), '{"x":2}')
  const ttl = await stores.results.pTTL(keys.results.result(job.id))
  t.ok(ttl > 0 && ttl <= jobs.policy.ttlMs, 'finished jobs expire')
  await t.rejects(jobs.retry(job.id), { code: 'JOB_NOT_FAILED', message: `job ${job.id} is complete: only a failed job can be retried` }, 'a complete job is found where it moved')
})

t.test('an attempt that throws is retried until MAX_ATTEMPTS, then failed with its error', async (t) => {
  const job = await jobs.create(request)
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [claimed] = await queue.claim('w1', 1)
    t.equal(claimed?.attempts, attempt)
    const outcome = await jobs.finishWithError({ id: job.id, attempts: attempt }, 'w1', 'boom', true)
    t.equal(outcome, attempt < 3 ? 'retry' : 'failed')
    if (attempt < 3) {
      t.equal((await jobs.get(job.id))?.last_error, 'boom')
      t.same(await stores.queue.lRange(keys.queue.pending, 0, -1), [job.id], 'back in the queue')
    }
  }
  const failed = await jobs.get(job.id)
  t.equal(failed?.status, 'failed')
  t.equal(failed?.error, 'failed after 3 attempts: boom')
  t.equal(await queue.depth(), 0)
  t.same(await queue.processing('w1'), [])
})

t.test('an unrecoverable error fails at once', async (t) => {
  const job = await jobs.create(request)
  await queue.claim('w1', 1)
  t.equal(await jobs.finishWithError({ id: job.id, attempts: 1 }, 'w1', 'no gene data is loaded', false), 'failed')
  t.same({ status: (await jobs.get(job.id))?.status, error: (await jobs.get(job.id))?.error }, { status: 'failed', error: 'no gene data is loaded' })
})

t.test('progress is recorded only for the holder of an in-progress job', async (t) => {
  const job = await jobs.create(request)
  t.notOk(await jobs.setProgress(job, 'w1', 50), 'not started')
  const [claim] = await queue.claim('w1', 1) as [Job]
  t.ok(await jobs.setProgress(claim, 'w1', 42.4))
  t.equal((await jobs.get(job.id))?.progress, 42)
  t.notOk(await jobs.setProgress(claim, 'w2', 60))
  t.ok(await jobs.setProgress(claim, 'w1', 250))
  t.equal((await jobs.get(job.id))?.progress, 100, 'clamped')
})

t.test('finished jobs and results expire and leave the listing', async (t) => {
  const shortLived = new JobQueue({ stores, keys, policy: { ...queue.policy, ttlMs: 300 } })
  const job = await shortLived.create(request)
  const other = await shortLived.create(request)
  await queue.claim('w1', 1)
  t.ok(await shortLived.complete({ id: job.id, attempts: 1 }, 'w1', { json: '{}' }))
  t.same((await shortLived.list()).sort(), [job.id, other.id].sort())
  await waitFor(async () => (await shortLived.get(job.id)) === null, { what: 'the record to expire' })
  t.equal(await stores.results.exists(keys.results.result(job.id)), 0, 'result gone')
  t.same(await shortLived.list(), [other.id], 'gone from the listing; the unfinished job stays')
})

t.test('the reaper drops expired jobs from the listing, and leaves the others', async (t) => {
  const shortLived = new JobQueue({ stores, keys, policy: { ...queue.policy, ttlMs: 300 } })
  const job = await shortLived.create(request)
  const waiting = await shortLived.create(request)
  const [claim] = await shortLived.claim('w1', 1)
  t.equal(claim?.id, job.id)
  t.ok(await shortLived.complete({ id: job.id, attempts: 1 }, 'w1', { json: '{}' }))
  await waitFor(async () => (await shortLived.get(job.id)) === null, { what: 'the record to expire' })
  t.ok(await stores.queue.lPos(keys.jobs.listing, job.id) !== null, 'still in the listing until pruned')
  await waitFor(async () => { await shortLived.reap(); return await stores.queue.lPos(keys.jobs.listing, job.id) === null }, { what: 'a reaper round to prune it' })
  t.ok(await stores.queue.lPos(keys.jobs.listing, waiting.id) !== null, 'the waiting job stays listed')
})
