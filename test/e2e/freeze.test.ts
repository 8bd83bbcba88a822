// A worker that freezes (SIGSTOP: a GC pause, a frozen container, a slow network) instead of dying.
// Its blocking pop goes on inside Redis while it cannot answer; when it wakes up it must not take
// back a job the reaper has meanwhile given to another worker (issue: "a frozen worker steals a job
// back"). Claims are fenced: the job stays with the worker that holds the current claim.
import t from 'tap'
import { createClient } from 'redis'
import { createKeys, loadConfig, readJobFields } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { startStack } from './helpers.js'

t.test('a frozen worker that wakes up does not steal back a job another worker now runs', async (t) => {
  const stack = await startStack(t, { workers: 1, env: { ENABLE_TEST_ANALYSES: 'true', STALLED_AFTER_MS: '3000' } })
  const config = loadConfig({ ...stack.env, LOG_LEVEL: 'silent' })
  const keys = createKeys(config.keyPrefix)
  const redis = createClient({ socket: { host: '127.0.0.1', port: stack.redis.port }, database: config.databases.jobs })
  await redis.connect()
  t.teardown(async () => { await redis.close() })
  const a = stack.workers[0]!
  const aId = String((await a.waitForLog((line) => line.msg === 'worker started', 'A started'))['worker'])
  const submit = async () => {
    const { JobQueue } = await import('@genejobs/jobs-core')
    return await new JobQueue({ stores: { jobs: redis } as never, keys, policy: config.jobs }).create({ analysis: 'test-sleep', ms: 8000 })
  }

  // 1. A idles in its blocking pop; freeze it, then queue a job: Redis hands the id to A's list.
  // A's pop lasts a second; when it has just ended as A freezes, the id stays queued: let A run
  // that job and try again.
  t.teardown(() => { a.child.kill('SIGCONT') })
  let job: Awaited<ReturnType<typeof submit>> | undefined
  for (let attempt = 1; job === undefined; attempt++) {
    await waitFor(async () => (await redis.clientList()).some((client) => client.name.includes(`worker-${aId}-blocking`) && client.cmd === 'blmove'), { what: 'A blocked in BLMOVE' })
    a.child.kill('SIGSTOP')
    const candidate = await submit()
    const landed = await waitFor(async () => (await redis.lRange(keys.queue.processing(aId), 0, -1)).includes(candidate.id), { what: 'the id in frozen A\'s processing list', timeoutMs: 2000 }).then(() => true, () => false)
    if (landed) job = candidate
    else {
      t.ok(attempt < 5, `attempt ${attempt}: A's pop had ended as it froze`)
      a.child.kill('SIGCONT')
      await waitFor(async () => (await readJobFields(redis as never, keys, candidate.id, ['status']))[0] === 'complete', { what: 'A to run the queued job', timeoutMs: 60_000 })
    }
  }

  // 2. Worker B's reaper gives A's job back to the queue, and B runs it.
  const b = stack.startWorker()
  await b.waitForLog((line) => line.msg === 'job started' && line['jobId'] === job.id, 'B starts the job', 60_000)

  // 3. A wakes up with its late BLMOVE reply: it must leave the job to B.
  a.child.kill('SIGCONT')
  await a.waitForLog((line) => line['jobId'] === job.id && /belongs to another worker/.test(String(line.msg)), 'A leaves the job to B', 30_000)
  const record = await redis.hGetAll(keys.jobs.record(job.id))
  t.same({ status: record['status'], attempts: record['attempts'], worker: record['worker'] }, { status: 'in progress', attempts: '1', worker: String((await b.waitForLog((line) => line.msg === 'worker started', 'B started'))['worker']) })

  // 4. A dies; B finishes and its result counts.
  await a.stop('SIGKILL')
  const finished = await b.waitForLog((line) => line.msg === 'job finished' && line['jobId'] === job.id, 'B finishes', 60_000)
  t.equal(finished['outcome'], 'complete')
  const done = await waitFor(async () => { const res = await stack.http('GET', `/jobs/${job.id}`); return res.body.status === 'complete' ? res.body : undefined }, { what: 'the job complete' })
  t.equal(done.attempts, 1, 'completed by its first and only claim')
  t.same(await redis.hKeys(keys.results.result(job.id)).then((forms) => forms.includes('json')), true)
})
