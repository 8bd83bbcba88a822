import { Writable } from 'node:stream'
import t from 'tap'
import pino from 'pino'
import { createStores } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { startHarness, TEST_POLICY } from './helper.js'

const harness = await startHarness(t)
const { jobs, submit } = harness

async function finished (id: string) {
  return await waitFor(async () => {
    const job = await jobs.get(id)
    return job?.status === 'complete' || job?.status === 'failed' ? job : undefined
  }, { what: `job ${id} to finish`, timeoutMs: 20_000 })
}

t.test('a worker runs a job and stores its result', async (t) => {
  const worker = await harness.startWorker()
  const id = await submit({ analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100000' })
  const job = await finished(id)
  t.equal(job.status, 'complete')
  t.equal(job.attempts, 1)
  const result = JSON.parse(await harness.redis.stores.results.hGet(harness.redis.keys.results.result(id), 'json') ?? '{}')
  t.equal(result.summary.total, 8)
  // The result names the data version it was computed on, and its chart says so.
  const info = await harness.genes.info()
  t.same(result.data, info)
  t.match(result.chart.title.subtitle.at(-1), new RegExp(`^Data: HGNC version ${info?.version ?? ''} \\(8 genes, SHA-256 [0-9a-f]{12}…\\), loaded `))
  await worker.close()
  t.equal(worker.stats.completed, 1)
})

t.test('a poison job fails after MAX_ATTEMPTS with its error, and the worker carries on', async (t) => {
  const worker = await harness.startWorker({ policy: { ...TEST_POLICY, maxAttempts: 3 } })
  const poison = await submit({ analysis: 'test-throw' })
  const healthy = await submit({ analysis: 'test-sleep', ms: 10 })
  const failedJob = await finished(poison)
  t.equal(failedJob.status, 'failed')
  t.equal(failedJob.attempts, 3)
  t.equal(failedJob.error, 'failed after 3 attempts: test-throw: failing on purpose')
  t.equal((await finished(healthy)).status, 'complete', 'the next job still runs')
  await worker.close()
  t.equal(worker.stats.retried, 2)
  t.equal(worker.stats.failed, 1)
})

t.test('an unrecoverable error fails the job without retries', async (t) => {
  const worker = await harness.startWorker()
  const job = await finished(await submit({ analysis: 'test-throw', unrecoverable: true }))
  t.same([job.status, job.attempts, job.error], ['failed', 1, 'test-throw: unrecoverable on purpose'])
  const unknown = await finished(await submit({ analysis: 'no-such-analysis' }))
  t.same([unknown.status, unknown.error], ['failed', 'unknown analysis "no-such-analysis"'])
  const badParams = await finished(await submit({ analysis: 'approval-timeline', hgnc_id_start: 'HGNC:9', hgnc_id_end: 'HGNC:1' }))
  t.match(badParams.error, /^invalid parameters: params\/hgnc_id_end must not be below params\/hgnc_id_start/)
  await worker.close()
})

t.test('progress is visible on the job while it runs', async (t) => {
  const worker = await harness.startWorker()
  const id = await submit({ analysis: 'test-sleep', ms: 2000 })
  const midway = await waitFor(async () => {
    const job = await jobs.get(id)
    return job?.status === 'in progress' && (job.progress ?? 0) > 0 && (job.progress ?? 0) < 100 ? job : undefined
  }, { what: 'progress between 0 and 100' })
  t.ok((midway.progress ?? 0) > 0)
  t.equal((await finished(id)).progress, 100)
  await worker.close()
})

t.test('an upload job (params a summary, the list in its input) runs on its input', async (t) => {
  const worker = await harness.startWorker()
  const symbols = Array.from({ length: 60_000 }, (_, i) => (i % 3 === 0 ? 'brca1' : `NOPE${i}`))
  const shown = { upload: { file: 'genes.txt', identifiers: symbols.length } }
  const { id } = await jobs.create({ analysis: 'symbol-check', symbols }, shown)
  const seen = new Set<number>()
  const job = await waitFor(async () => {
    const current = await jobs.get(id)
    if (current?.progress !== undefined) seen.add(current.progress)
    return current?.status === 'complete' || current?.status === 'failed' ? current : undefined
  }, { what: `job ${id} to finish`, timeoutMs: 60_000, intervalMs: 5 })
  t.equal(job.status, 'complete', job.error ?? '')
  t.same(job.params, shown, 'the job still shows the summary')
  const result = JSON.parse(await harness.redis.stores.results.hGet(harness.redis.keys.results.result(id), 'json') ?? '{}')
  t.equal(result.summary.inputs, 60_000)
  t.equal(result.summary.by_match_type.approved, 20_000)
  // Per-batch progress is asserted in the analysis's own test; how much of it a poll sees depends on timing.
  t.comment(`progress seen while it ran: ${[...seen].join(' ')}`)
  await worker.close()
})

t.test('concurrency: one worker runs several jobs at once', async (t) => {
  const worker = await harness.startWorker({ concurrency: 4 })
  const ids = await Promise.all(Array.from({ length: 4 }, async () => await submit({ analysis: 'test-sleep', ms: 1500 })))
  await waitFor(() => worker.active === 4 ? true : undefined, { what: 'four jobs running at once' })
  for (const id of ids) t.equal((await finished(id)).status, 'complete')
  await worker.close()
})

t.test('close() finishes the job in hand, then stops taking jobs; calling it twice is fine', async (t) => {
  const worker = await harness.startWorker()
  const inHand = await submit({ analysis: 'test-sleep', ms: 800 })
  await waitFor(async () => (await jobs.get(inHand))?.status === 'in progress', { what: 'the job to start' })
  const closing = worker.close()
  t.equal(worker.close(), closing, 'the same promise')
  const later = await submit({ analysis: 'test-sleep', ms: 10 })
  await closing
  t.equal((await jobs.get(inHand))?.status, 'complete', 'the job in hand finished')
  t.equal((await jobs.get(later))?.status, 'submitted', 'no new job was taken')
  // Another worker picks it up.
  const next = await harness.startWorker()
  t.equal((await finished(later)).status, 'complete')
  await next.close()
})

t.test('a job a reaper released but never moved back is run again by the worker whose list holds it', async (t) => {
  const worker = await harness.startWorker()
  const id = await submit({ analysis: 'test-sleep', ms: 600 })
  await waitFor(async () => (await jobs.get(id))?.status === 'in progress', { what: 'the job to start' })
  // A reaper's first step (release-claim) while the worker seemed dead; Redis died before its
  // second, so the id stays in the worker's list, which no reaper looks at once the worker beats.
  const { stores, keys } = harness.redis
  await stores.jobs.hSet(keys.jobs.record(id), { status: 'submitted', last_error: 'the worker running it stopped responding' })
  await stores.jobs.hDel(keys.jobs.record(id), ['worker', 'progress'])
  const job = await finished(id)
  t.same([job.status, job.attempts], ['complete', 2], 'the stale attempt is dropped and the job run again')
  t.same(await jobs.processing(worker.id), [], 'no id left in its list')
  t.equal(worker.stats.stale, 1)
  await worker.close()
})

t.test('a completion whose first send landed but whose reply was lost counts as complete, not stale', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done() } }))
  const worker = await harness.startWorker({ logger })
  const id = await submit({ analysis: 'test-sleep', ms: 600 })
  await waitFor(async () => (await jobs.get(id))?.status === 'in progress', { what: 'the job to start' })
  // What the worker's first send would have done, had Redis taken it and the reply been lost.
  t.ok(await jobs.complete({ id, attempts: 1 }, worker.id, { json: '"first send"' }))
  await waitFor(() => worker.stats.completed + worker.stats.stale > 0, { what: 'the worker to finish the job' })
  t.same([worker.stats.completed, worker.stats.stale], [1, 0])
  t.match(lines.find((line) => line['jobId'] === id && line['msg'] === 'job finished'), { outcome: 'complete', sentAgain: true })
  t.notOk(lines.some((line) => line['level'] === 40), `no warning: ${JSON.stringify(lines.filter((line) => line['level'] === 40))}`)
  t.equal(await harness.redis.stores.results.hGet(harness.redis.keys.results.result(id), 'json'), '"first send"', 'stored once')
  t.same(await jobs.processing(worker.id), [], 'off its list')
  await worker.close()
})

t.test('one job at a time: each completion carries the next claim, one script call per job', async (t) => {
  const jobCount = 100
  for (let i = 0; i < jobCount; i++) await submit({ analysis: 'noop' })
  // As a worker process has them: the data version's provenance read from memory, so a job that
  // does nothing finishes within a few microtasks, before its predecessor's end has run.
  const { config, stores, keys } = harness.redis
  const cached = createStores(config.redis, config.databases, 'test-cached', undefined, { geneCacheEntries: 16 })
  t.teardown(async () => { await cached.close() })
  await cached.connect()
  const scriptCalls = async () => Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(String(await stores.jobs.sendCommand(['INFO', 'commandstats'])))?.[1] ?? 0)
  const before = await scriptCalls()
  const noop = { name: 'noop', request: { type: 'object', properties: { analysis: { const: 'noop' } }, required: ['analysis'] }, run: async () => ({ summary: {}, rows: [] }) }
  const worker = await harness.startWorker({ stores: cached, keys, concurrency: 1, analyses: new Map([['noop', noop as never]]) })
  await waitFor(() => worker.stats.completed === jobCount, { what: `${jobCount} jobs to complete (${worker.stats.completed} so far)`, timeoutMs: 20_000 })
  const calls = await scriptCalls() - before
  await worker.close()
  // Two calls a job if completions and claims went separately; a few more for the heartbeat and reaper.
  t.ok(calls <= jobCount + 15, `${calls} script calls for ${jobCount} jobs`)
  t.same([worker.stats.completed, worker.stats.stale, worker.stats.failed], [jobCount, 0, 0])
})

t.test('several workers share the queue and run each job once', async (t) => {
  const workers = await Promise.all([1, 2, 3].map(async () => await harness.startWorker({ concurrency: 2 })))
  const ids = await Promise.all(Array.from({ length: 30 }, async (_, i) => await submit({ analysis: 'test-count', tag: `share-${i}` })))
  for (const id of ids) t.equal((await finished(id)).status, 'complete')
  const runs = await harness.redis.stores.results.hGetAll(harness.redis.keys.test.runs)
  t.equal(Object.keys(runs).filter((tag) => tag.startsWith('share-')).length, 30)
  t.ok(Object.entries(runs).filter(([tag]) => tag.startsWith('share-')).every(([, count]) => count === '1'), 'each ran exactly once')
  await Promise.all(workers.map(async (worker) => { await worker.close() }))
  t.equal(workers.reduce((sum, worker) => sum + worker.stats.completed, 0), 30)
})
