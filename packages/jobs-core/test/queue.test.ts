import t from 'tap'
import { startTestRedis, waitFor } from '@genejobs/test-support'
import { JobQueue, retryDelay, type Job } from '../src/queue.js'
import type { JobRequest } from '../src/schemas/jobs.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const { stores, keys } = redis
const queue = new JobQueue({ stores, keys, policy: { stalledAfterMs: 300, maxAttempts: 2, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 } })
const jobs = queue
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
  const blocking = stores.duplicate('queue', 'test-blocking')
  await blocking.connect()
  t.teardown(async () => { await blocking.close() })
  t.equal(await queue.waitForJob(blocking, 'w1', 0.1), null, 'times out on an empty queue')
  const waiting = queue.waitForJob(blocking, 'w1', 5)
  const job = await jobs.create(request)
  t.equal(await waiting, job.id)
  const [started] = await queue.claim('w1', 0, [job.id])
  t.equal(started?.status, 'in progress')
})

for (const twoSteps of [false, true]) {
  t.test(`completions and the next claim in one call${twoSteps ? ' (two steps, as on a cluster)' : ''}`, async (t) => {
    const shaped = new JobQueue({ stores, keys, policy: queue.policy, twoSteps })
    const [a, b, c] = await Promise.all([1, 2, 3].map(async () => await shaped.create(request)))
    const [first] = await shaped.claim('w1', 1) as [Job]
    t.equal(first.id, a?.id)
    const stale = { id: first.id, attempts: 7 }
    const { completed, started } = await shaped.completeAndClaim('w1', [{ claim: first, result: { json: '"a"' } }, { claim: stale, result: { json: '"x"' } }], 5)
    t.same(completed, [true, false], 'the current claim completes; a stale one does not')
    t.same(started.map((job) => [job.id, job.status, job.attempts]), [[b?.id, 'in progress', 1], [c?.id, 'in progress', 1]], 'the oldest first, up to the count')
    // Two steps: the queue's side of a completion is sent without waiting (the first one on a server
    // may go again as EVAL, after this read), so the list is polled.
    const expected = JSON.stringify([b?.id, c?.id].sort())
    await waitFor(async () => JSON.stringify((await shaped.processing('w1')).sort()) === expected, { what: `w1's list to hold ${expected}` })
    t.equal(await stores.results.hGet(keys.results.result(first.id), 'json'), '"a"')
    t.equal((await shaped.get(first.id))?.status, 'complete')
    t.same(await shaped.completeAndClaim('w1', [{ claim: first, result: { json: '"a"' } }], 1), { completed: [false], started: [] }, 'sent again: not counted twice; nothing left to claim')
    t.equal(await stores.results.hGet(keys.results.result(first.id), 'json'), '"a"')
  })
}

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
  t.same([again?.id, again?.attempts], [dead.id, 2])
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

t.test('fenced claims: an id a late BLMOVE handed over is taken only while it is still in the worker\'s list', async (t) => {
  const job = await jobs.create(request)
  // Worker A's BLMOVE moved the id, then A froze; a reaper gave its list back and B took the job.
  await stores.queue.lMove(keys.queue.pending, keys.queue.processing('A'), 'RIGHT', 'LEFT')
  await stores.queue.sAdd(keys.queue.workers, 'A') // registered, heartbeat expired
  t.same(await queue.reap(), [job.id])
  const [taken] = await queue.claim('B', 1)
  t.same([taken?.id, taken?.attempts], [job.id, 1])
  // A wakes up and claims what its BLMOVE returned long ago.
  t.same(await queue.claim('A', 0, [job.id]), [], 'A does not take it')
  const record = await jobs.get(job.id)
  t.same([record?.status, record?.attempts], ['in progress', 1], 'still B\'s first attempt')
  t.equal(await stores.queue.hGet(keys.jobs.record(job.id), 'worker'), 'B')
})

t.test('fenced claims: a job in progress under another worker is left to it', async (t) => {
  const job = await jobs.create(request)
  await queue.claim('B', 1)
  await stores.queue.lPush(keys.queue.processing('A'), job.id) // however it got there
  t.same(await queue.claim('A', 0, [job.id]), [])
  t.same(await queue.processing('A'), [], 'dropped from A\'s list')
  t.equal((await jobs.get(job.id))?.attempts, 1)
})

t.test('a stale claim can neither move progress nor complete nor fail the job', async (t) => {
  const job = await jobs.create(request)
  const [first] = await queue.claim('w1', 1) as [Job]
  // The job is re-queued (its worker was thought dead) and claimed again by the same worker.
  await stores.queue.sAdd(keys.queue.workers, 'w1')
  await queue.reap()
  const [second] = await queue.claim('w1', 1) as [Job]
  t.equal(second.attempts, 2)
  t.notOk(await queue.setProgress(first, 'w1', 50), 'stale progress refused')
  t.notOk(await queue.complete(first, 'w1', { json: '"stale"' }), 'stale completion refused')
  t.equal(await queue.finishWithError(first, 'w1', 'stale error', true), 'stale')
  t.equal((await jobs.get(job.id))?.status, 'in progress')
  t.equal(await stores.results.exists(keys.results.result(job.id)), 0, 'no result written')
  t.ok(await queue.complete(second, 'w1', { json: '"current"' }), 'the current claim completes it')
})

t.test('the reaper re-queues a job in progress whose worker is gone and whose id is in no list', async (t) => {
  const job = await jobs.create(request)
  await queue.claim('ghost', 1)
  await stores.queue.del(keys.queue.processing('ghost')) // the id is in no list, the worker in no set
  const requeued = await queue.reap()
  t.same(requeued, [job.id])
  const record = await jobs.get(job.id)
  t.equal(record?.status, 'submitted')
  t.match(record?.last_error, /its claim was lost/)
  t.same(await stores.queue.lRange(keys.queue.pending, 0, -1), [job.id])
  t.same(await queue.reap(), [], 'once')
  const [again] = await queue.claim('w2', 1)
  t.same([again?.id, again?.attempts], [job.id, 2])
})

t.test('an orphan re-queued from a forgotten worker\'s list leaves that list', async (t) => {
  // A worker froze, was given up for dead and forgotten, and claimed a job as it woke, before its
  // next heartbeat registered it again (the chaos soak's case).
  const job = await jobs.create(request)
  const [late] = await queue.claim('late', 1) as [Job]
  t.same(await queue.reap(), [job.id], 'a job in progress under a worker in no set is re-queued')
  t.same(await queue.processing('late'), [], 'moved, not copied: the forgotten worker\'s list lets it go')
  t.same(await stores.queue.lRange(keys.queue.pending, 0, -1), [job.id], 'queued once')
  // The job runs elsewhere; the late worker finishes too, with a stale claim, and beats again.
  const [current] = await queue.claim('w2', 1) as [Job]
  t.ok(await queue.complete(current, 'w2', { json: '"current"' }))
  t.notOk(await queue.complete(late, 'late', { json: '"stale"' }), 'the late claim is stale')
  await queue.heartbeat('late')
  t.same(await queue.reap(), [])
  t.same([await queue.processing('late'), await queue.processing('w2'), await stores.queue.hLen(keys.queue.active)], [[], [], 0], 'no id left in any list')
})

t.test('job events: on one Redis a transition publishes only while the job\'s channel has a subscriber; seq counts every one', async (t) => {
  // A pattern subscriber hears every event published, but PUBSUB NUMSUB does not count it.
  const heard: string[] = []
  const everything = stores.duplicate('jobs', 'test-events-pattern')
  const watcher = stores.duplicate('jobs', 'test-events-watcher')
  await Promise.all([everything.connect(), watcher.connect()])
  t.teardown(async () => { await Promise.all([everything.close(), watcher.close()]) })
  await everything.pSubscribe(keys.jobs.events('*'), (message) => { heard.push(JSON.parse(message).status) })
  const runJob = async (jobs: JobQueue, worker: string) => {
    const job = await jobs.create(request)
    const [claim] = await jobs.claim(worker, 1) as [Job]
    t.ok(await jobs.complete(claim, worker, { json: '{}' }))
    return job.id
  }
  const roundTrip = async () => { await everything.pubSubChannels() } // heard by now: same connection, in order
  const unwatched = await runJob(queue, 'w1')
  await roundTrip()
  t.same(heard, [], 'nobody watched: nothing published')
  t.equal(await stores.results.hGet(keys.results.result(unwatched), 'seq'), '2', 'both transitions counted')

  const watched = await jobs.create(request)
  const mine: string[] = []
  await watcher.subscribe(keys.jobs.events(watched.id), (message) => { mine.push(JSON.parse(message).status) })
  const [claim] = await queue.claim('w1', 1) as [Job]
  t.ok(await queue.complete(claim, 'w1', { json: '{}' }))
  await waitFor(() => mine.length === 2, { what: 'both events of the watched job' })
  await roundTrip()
  t.same([mine, heard], [['in progress', 'complete'], ['in progress', 'complete']])

  // A cluster's subscriber may sit on another node: its scripts (here forced on one Redis) publish always.
  heard.length = 0
  await runJob(new JobQueue({ stores, keys, policy: queue.policy, twoSteps: true }), 'w2')
  await waitFor(() => heard.length === 2, { what: 'the two-step transitions to publish' })
  t.same(heard, ['in progress', 'complete'])
})

t.test('retries back off: the job waits in the delayed set until its retry is due', async (t) => {
  const backingOff = new JobQueue({ stores, keys, policy: { ...queue.policy, retryBackoffMs: 400, retryBackoffMaxMs: 10_000 } })
  const job = await backingOff.create(request)
  const [claim] = await backingOff.claim('w1', 1) as [Job]
  const before = Date.now()
  t.equal(await backingOff.finishWithError(claim, 'w1', 'Redis OOM', true), 'retry')
  const due = Number(await stores.queue.zScore(keys.queue.delayed, job.id))
  t.ok(due >= before + 200 && due <= Date.now() + 400, `due in 200-400 ms (${due - before} ms)`)
  t.same(await backingOff.claim('w1', 1), [], 'not before it is due')
  const again = await waitFor(async () => (await backingOff.claim('w1', 1))[0], { what: 'the retry to become due', timeoutMs: 3000 })
  t.ok(Date.now() >= due, 'taken once due')
  t.same([again.id, again.attempts], [job.id, 2])
  t.equal(await stores.queue.zCard(keys.queue.delayed), 0)
})

t.test('the back-off doubles per attempt, with jitter, up to its cap', async (t) => {
  const policy = { retryBackoffMs: 1000, retryBackoffMaxMs: 5000 }
  for (let i = 0; i < 50; i++) {
    const first = retryDelay(policy, 1)
    const third = retryDelay(policy, 3)
    const tenth = retryDelay(policy, 10)
    t.ok(first >= 500 && first <= 1000 && third >= 2000 && third <= 4000 && tenth >= 2500 && tenth <= 5000, `${first} ${third} ${tenth}`)
  }
  t.equal(retryDelay({ retryBackoffMs: 0, retryBackoffMaxMs: 5000 }, 3), 0)
})

t.test('a worker that stops leaves the worker set and puts back the jobs it still held', async (t) => {
  const job = await jobs.create(request)
  await queue.heartbeat('leaving')
  await queue.claim('leaving', 1)
  t.same(await queue.unregister('leaving'), [job.id])
  t.notOk(await stores.queue.sIsMember(keys.queue.workers, 'leaving'))
  t.equal((await jobs.get(job.id))?.status, 'submitted')
  t.same(await stores.queue.lRange(keys.queue.pending, 0, -1), [job.id])
})

t.test('a job created with shown params: get shows them, the claim carries the full input, which the complete job drops', async (t) => {
  const full: JobRequest = { analysis: 'symbol-check', symbols: Array.from({ length: 50_000 }, (_, i) => `S${i}`) }
  const shown = { upload: { file: 'genes.txt', identifiers: 50_000 } }
  const job = await jobs.create(full, shown)
  t.same(job.params, shown, 'the created job shows the summary')
  t.notOk('input' in job, 'and not the input')
  const got = await jobs.get(job.id)
  t.same(got, job, 'get shows the summary, never the input')
  t.same(await stores.jobs.hGet(keys.jobs.record(job.id), 'input'), JSON.stringify({ symbols: full['symbols'] }), 'the input sits in the record, written with it')
  const [claimed] = await queue.claim('w1', 1)
  t.same(claimed?.input, { symbols: full['symbols'] }, 'the worker gets the full parameters')
  t.same(claimed?.params, shown)
  t.ok(await queue.complete(claimed as Job, 'w1', { json: '{}' }))
  const ttl = await stores.results.pTTL(keys.results.result(job.id))
  t.ok(ttl > 0 && ttl <= 60_000, `the finished job expires (${ttl} ms)`)
  t.equal(await stores.results.hGet(keys.results.result(job.id), 'input'), null, 'without its input: only a claim reads it')
  const plain = await jobs.create(request)
  t.notOk(await stores.jobs.hExists(keys.jobs.record(plain.id), 'input'), 'a JSON job has no input field')
})

for (const twoSteps of [false, true]) {
  t.test(`what each completion came to: completed, completed before (sent again), stale${twoSteps ? ' (two steps)' : ''}`, async (t) => {
    const shaped = new JobQueue({ stores, keys, policy: queue.policy, twoSteps })
    const [a, b] = await Promise.all([1, 2].map(async () => await shaped.create(request)))
    const [first] = await shaped.claim('w1', 1) as [Job]
    t.equal(first.id, a?.id)
    const stale = { id: first.id, attempts: 7 }
    t.same(await shaped.completeEach('w1', [{ claim: first, result: { json: '"a"' } }, { claim: stale, result: { json: '"x"' } }]), ['completed', 'stale'])
    t.same(await shaped.completeEach('w1', [{ claim: first, result: { json: '"b"' } }]), ['completed before'], 'the same claim again')
    t.same(await shaped.completeMany('w1', [{ claim: first, result: { json: '"b"' } }]), [false], 'which completeMany counts as not completed by this call')
    const { outcomes, started } = await shaped.completeEachAndClaim('w1', [{ claim: first, result: { json: '"c"' } }], 1)
    t.same(outcomes, ['completed before'])
    t.same(started.map((job) => job.id), [b?.id], 'and the next claim rides with it')
    t.equal(await stores.results.hGet(keys.results.result(first.id), 'json'), '"a"', 'the result the first completion stored')
    t.same(await shaped.completeEach('w1', []), [])
  })
}
