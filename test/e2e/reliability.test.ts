// Things get killed here: workers (SIGKILL, SIGTERM) and redis-server itself. The guarantees under
// test are the README's "Reliability" section: at-least-once processing, each job completed (its
// result written) exactly once, nothing accepted is lost, workers and API recover by themselves.
import t from 'tap'
import { createStores, createKeys, JobQueue, loadConfig, type JobRequest, type Stores } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { createClient } from 'redis'
import { startStack, type Stack } from './helpers.js'

const TEST_ENV = { ENABLE_TEST_ANALYSES: 'true', LOG_LEVEL: 'info' }

/** jobs-core against the stack's Redis, to queue test-only analyses the API refuses. */
async function connectJobs (t: { teardown: (fn: () => Promise<void>) => void }, stack: Stack): Promise<{ stores: Stores, jobs: JobQueue, submit: (request: Record<string, unknown>) => Promise<string> }> {
  const config = loadConfig({ ...stack.env, LOG_LEVEL: 'silent' })
  const stores = createStores(config.redis, config.databases, 'test')
  await stores.connect()
  t.teardown(async () => { await stores.close() })
  const jobs = new JobQueue({ stores, keys: createKeys(config.keyPrefix), policy: config.jobs })
  return { stores, jobs, submit: async (request) => (await jobs.create(request as unknown as JobRequest)).id }
}

async function statusOf (jobs: JobQueue, ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const id of ids) {
    const status = (await jobs.get(id))?.status ?? 'missing'
    counts[status] = (counts[status] ?? 0) + 1
  }
  return counts
}

t.test('the API refuses test-only analyses; production config refuses to enable them', async (t) => {
  const stack = await startStack(t, { workers: 0 })
  const res = await stack.http('POST', '/jobs', { analysis: 'test-sleep', ms: 10 })
  t.equal(res.status, 400)
  t.match(res.body.message, /^body\/analysis must be one of/)
  t.throws(() => loadConfig({ ENABLE_TEST_ANALYSES: 'true', NODE_ENV: 'production' }), /test analyses cannot be enabled when NODE_ENV=production/)
})

t.test('kill -9 a worker in the middle of a job: another worker completes it, once, within 10 s', async (t) => {
  // Default STALLED_AFTER_MS: the guarantee is "back in the queue within 10 s".
  const stack = await startStack(t, { workers: 2, env: TEST_ENV })
  const { stores, jobs, submit } = await connectJobs(t, stack)
  const id = await submit({ analysis: 'test-count', tag: 'kill-9', ms: 4000 })
  // Whichever worker takes the job is the victim; the other one must finish it.
  const victim = await waitFor(() => stack.workers.find((worker) => worker.logs.some((line) => line.msg === 'job started' && line['jobId'] === id)), { what: 'a worker to start the job', timeoutMs: 20_000 })
  const survivor = stack.workers.find((worker) => worker !== victim)!
  const killedAt = Date.now()
  t.equal(await victim.stop('SIGKILL'), 'SIGKILL')
  const requeued = await waitFor(async () => {
    const job = await jobs.get(id)
    return job !== null && (job.status !== 'in progress' || job.attempts > 1) ? Date.now() - killedAt : undefined
  }, { timeoutMs: 10_000, what: 'the dead worker\'s job to be re-queued' })
  t.comment(`re-queued ${requeued} ms after the kill`)
  const done = await waitFor(async () => { const job = await jobs.get(id); return job?.status === 'complete' ? job : undefined }, { timeoutMs: 15_000, what: 'completion' })
  t.equal(done.attempts, 2, 'the second attempt completed it')
  // The record is written first and the log line after it: wait for the line, do not race it.
  const finished = await survivor.waitForLog((line) => line.msg === 'job finished' && line['jobId'] === id, 'the survivor\'s "job finished" line', 15_000)
  t.equal(finished['outcome'], 'complete', 'the survivor completed it')
  const runs = await stores.results.hGet(createKeys(stack.env['KEY_PREFIX'] ?? 'genejobs').test.runs, 'kill-9')
  t.equal(runs, '1', 'the side effect happened once: the victim died before reaching it')
})

t.test('300 jobs, three workers killed and restarted at random: every job complete, each result written once', async (t) => {
  const stack = await startStack(t, { workers: 3, env: { ...TEST_ENV, STALLED_AFTER_MS: '1500', WORKER_CONCURRENCY: '2' } })
  const { stores, jobs, submit } = await connectJobs(t, stack)
  // Count the side effect itself: every write of a result hash, seen through keyspace notifications.
  const watcher = createClient({ socket: { port: stack.redis.port, host: '127.0.0.1' } })
  await watcher.connect()
  await watcher.configSet('notify-keyspace-events', 'Kh')
  const subscriber = watcher.duplicate()
  await subscriber.connect()
  const writes: Record<string, number> = {}
  const resultKey = createKeys(stack.env['KEY_PREFIX'] ?? 'genejobs').results.result
  await subscriber.pSubscribe(`__keyspace@${stores.databases.jobs}__:${resultKey('*')}`, (event, channel) => {
    if (event === 'hset') writes[channel] = (writes[channel] ?? 0) + 1
  })
  t.teardown(async () => { await subscriber.close(); await watcher.close() })

  // 120 ms a job: 300 jobs keep 6 slots busy for 6 s or more, long enough for the 8 kills below
  // (one every 0.3-0.8 s); at 40 ms the faster queue finished them all after 3.
  const ids = await Promise.all(Array.from({ length: 300 }, async (_, i) => await submit({ analysis: 'test-count', tag: `chaos-${i}`, ms: 120 })))
  let kills = 0
  const random = (() => { let seed = 42; return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 })()
  const deadline = Date.now() + 90_000
  for (;;) {
    const counts = await statusOf(jobs, ids)
    if ((counts['complete'] ?? 0) + (counts['failed'] ?? 0) === ids.length || Date.now() > deadline) break
    if (kills < 8) {
      const alive = stack.workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null)
      const victim = alive[Math.floor(random() * alive.length)]
      if (victim !== undefined) {
        await victim.stop('SIGKILL')
        kills++
        stack.startWorker()
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300 + random() * 500))
  }
  const counts = await statusOf(jobs, ids)
  t.same(counts, { complete: 300 }, 'every job complete, none lost, none failed')
  const perJob = ids.map((id) => Object.entries(writes).filter(([channel]) => channel.endsWith(resultKey(id))).reduce((sum, [, n]) => sum + n, 0))
  t.ok(perJob.every((n) => n === 1), 'each result written exactly once')
  const runs = Object.values(await stores.results.hGetAll(createKeys(stack.env['KEY_PREFIX'] ?? 'genejobs').test.runs)).map(Number)
  const reruns = runs.filter((n) => n > 1).length
  t.comment(`chaos: 300 jobs, 3 workers, ${kills} SIGKILLs, lost 0, results written twice ${perJob.filter((n) => n > 1).length}, analyses re-run after a kill ${reruns}`)
  t.equal(kills, 8)
})

t.test('redis-server (append-only) killed and restarted mid-run: no accepted job is lost, the API answers 503 then recovers', async (t) => {
  // appendfsync always: under everysec Redis itself may acknowledge a write it has not yet handed
  // to the AOF file (while an earlier fsync is slow), and a SIGKILL loses it. This test is about
  // genejobs losing nothing that Redis kept; the README explains the everysec trade-off.
  const stack = await startStack(t, { workers: 2, appendOnly: true, appendfsync: 'always', env: { STALLED_AFTER_MS: '2000' } })
  t.equal((await stack.http('POST', '/data')).status, 201)
  const accepted: string[] = []
  let refused = 0
  const submitSome = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await stack.http('POST', '/jobs', { hgnc_id_start: '1', hgnc_id_end: String(1000 + i) })
      if (res.status === 201) accepted.push(res.body.id)
      else {
        t.equal(res.status, 503, 'refused only as unavailable')
        t.match(res.body.message, /Redis is unavailable/)
        refused++
      }
    }
  }
  await submitSome(40)
  await stack.redis.kill()
  const down = await waitFor(async () => { const res = await stack.http('GET', '/health'); return res.status === 503 ? res : undefined }, { what: 'health 503' })
  t.same(down.body, { statusCode: 503, error: 'Service Unavailable', message: 'Redis is unavailable' })
  await submitSome(5)
  await stack.redis.restart()
  await waitFor(async () => (await stack.http('GET', '/health')).status === 200, { timeoutMs: 20_000, what: 'health 200 again, same API process' })
  t.equal(stack.api.child.exitCode, null, 'the API never restarted')
  await submitSome(20)
  let states: Record<string, number> = {}
  const jobsDone = await waitFor(async () => {
    const all = await Promise.all(accepted.map(async (id) => (await stack.http('GET', `/jobs/${id}`)).body))
    states = {}
    for (const job of all) states[job.status ?? `missing (${String(job.statusCode)})`] = (states[job.status ?? `missing (${String(job.statusCode)})`] ?? 0) + 1
    return all.every((job) => job.status === 'complete') ? all : undefined
  }, { timeoutMs: 60_000, what: 'every accepted job to complete' }).catch((err: Error) => {
    throw new Error(`${err.message}; job states: ${JSON.stringify(states)}`)
  })
  t.equal(jobsDone.length, accepted.length)
  t.ok(stack.workers.every((worker) => worker.child.exitCode === null), 'workers reconnected instead of crashing')
  t.comment(`redis restart: ${accepted.length} jobs accepted, ${refused} refused with 503 during the outage, 0 lost`)
})

t.test('SIGTERM during a job: the job finishes and the worker exits 0', async (t) => {
  const stack = await startStack(t, { workers: 1, env: TEST_ENV })
  const { jobs, submit } = await connectJobs(t, stack)
  const worker = stack.workers[0]!
  const id = await submit({ analysis: 'test-sleep', ms: 1500 })
  await worker.waitForLog((line) => line.msg === 'job started' && line['jobId'] === id, 'job started')
  t.equal(await worker.stop('SIGTERM'), 0)
  t.equal((await jobs.get(id))?.status, 'complete')
  t.ok(worker.logs.some((line) => line.msg === 'worker stopped'))
})

t.test('SIGTERM on the API: it drains and exits 0', async (t) => {
  const stack = await startStack(t, { workers: 0 })
  t.equal((await stack.http('GET', '/health')).status, 200)
  t.equal(await stack.api.stop('SIGTERM'), 0)
})

t.test('finished jobs and results expire, and leave GET /jobs', async (t) => {
  const stack = await startStack(t, { workers: 1, env: { JOB_TTL_SECONDS: '1' } })
  await stack.http('POST', '/data')
  const { body: job } = await stack.http('POST', '/jobs', { hgnc_id_start: '1', hgnc_id_end: '10' })
  await waitFor(async () => (await stack.http('GET', `/jobs/${job.id}`)).body.status === 'complete', { what: 'completion' })
  t.equal((await stack.http('GET', `/results/${job.id}`)).status, 200)
  t.same((await stack.http('GET', '/jobs')).body, { jobs: [job.id] })
  await waitFor(async () => (await stack.http('GET', `/jobs/${job.id}`)).status === 404, { what: 'the job to expire' })
  t.equal((await stack.http('GET', `/results/${job.id}`)).status, 404)
  t.same((await stack.http('GET', '/jobs')).body, { jobs: [] })
})
