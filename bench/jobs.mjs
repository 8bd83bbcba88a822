// Group "jobs" (issue 3): the job pipeline.
//   - approval-timeline over the full id range on the loaded real set, through the real API and
//     one real worker process, submit to complete;
//   - queue throughput without any analysis cost: no-op jobs enqueued with `JobQueue.createMany`
//     and run by one in-process `Worker`, at concurrency 1 and 16 (the BullMQ benchmark's shape),
//     and the Redis memory each finished job keeps; and the same through BullMQ (bullmq.mjs), its
//     runs taking turns with ours (issue 15 compares the two).
import { JobQueue, createLogger } from '@genejobs/jobs-core'
import { createRequire } from 'node:module'
import { Worker } from '../packages/worker/dist/worker.js'
import { bullmqNoopRun } from './bullmq.mjs'
import { measured, notRun, pollUntil, progress, withScope } from './lib.mjs'
import { connectStores, redisMemory, runJob, startRedis, startStack } from './services.mjs'

const GROUP = 'jobs'
const FULL_RANGE = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100000' }
const TIMELINE_TARGET = { op: '<=', value: 300 }
/** Jobs per `createMany` call. */
const BATCH = 1000
/** Concurrency -> issue 3's target jobs/s (issue 15's targets are ratios to BullMQ: compare.mjs). */
const NOOP_TARGETS = new Map([[1, 1400], [16, 7000]])
/** The BullMQ release benchmarked beside genejobs (the root's dev dependency). */
const BULLMQ_VERSION = createRequire(import.meta.url)('bullmq/package.json').version

/**
 * An analysis that does nothing, so a run measures only the queue: claim, status changes, result
 * write. It exists only here; the API never accepts it.
 */
const NOOP = {
  name: 'noop',
  // Any parameters: a JSON Schema that only names the analysis (what the worker re-checks).
  request: { type: 'object', properties: { analysis: { const: 'noop' } }, required: ['analysis'] },
  run: async () => ({ summary: {}, rows: [] })
}

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  return [
    ...await approvalTimeline(settings, data),
    ...await noopThroughput(settings)
  ]
}

async function approvalTimeline (settings, data) {
  const name = 'approval-timeline, full range: submit to complete'
  if (data.reason !== undefined) return [notRun({ group: GROUP, name, unit: 'ms', target: TIMELINE_TARGET, reason: data.reason })]
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { workers: 1, hgncSource: data.path })
    await stack.loadData()
    const timed = async () => {
      const result = await runJob(stack, FULL_RANGE)
      if (!result.available) throw new Error(`POST /jobs refused approval-timeline: ${result.message}`)
      if (result.job.status !== 'complete') throw new Error(`approval-timeline failed: ${result.job.error}`)
      return result.ms
    }
    // The worker builds and caches its projection of the data on first use: time that apart.
    const warmUp = await timed()
    progress(GROUP, `approval-timeline warm-up: ${Math.round(warmUp)} ms`)
    const times = []
    for (let i = 1; i <= settings.runs; i++) {
      times.push(await timed())
      progress(GROUP, `approval-timeline run ${i}/${settings.runs}: ${Math.round(times.at(-1))} ms`)
    }
    return [
      measured({ group: GROUP, name, unit: 'ms', values: times, target: TIMELINE_TARGET, note: 'API + 1 worker process; polled every 2 ms' }),
      measured({ group: GROUP, name: 'approval-timeline, first job (warm-up)', unit: 'ms', values: [warmUp], note: 'includes the worker building its cached projection' })
    ]
  })
}

async function noopThroughput (settings) {
  const total = settings.noopJobs
  const rows = []
  const bytesPerJob = []
  const bullmqBytesPerJob = []
  const note = `${total.toLocaleString('en-US')} jobs, first enqueue to last complete, 1 worker in the bench process; fresh Redis each run`
  for (const [concurrency, target] of NOOP_TARGETS) {
    const rates = []
    const bullmqRates = []
    const ours = async (i) => {
      const result = await noopRun(total, concurrency)
      rates.push(result.jobsPerSecond)
      bytesPerJob.push(result.bytesPerJob)
      progress(GROUP, `${total} no-op jobs, concurrency ${concurrency}, run ${i}/${settings.runs}: ${Math.round(result.ms)} ms, ${Math.round(result.jobsPerSecond)} jobs/s, ${Math.round(result.bytesPerJob)} B/job`)
    }
    const theirs = async (i) => {
      const result = await bullmqNoopRun(total, concurrency)
      bullmqRates.push(result.jobsPerSecond)
      bullmqBytesPerJob.push(result.bytesPerJob)
      progress(GROUP, `BullMQ: ${total} no-op jobs, concurrency ${concurrency}, run ${i}/${settings.runs}: ${Math.round(result.ms)} ms, ${Math.round(result.jobsPerSecond)} jobs/s, ${Math.round(result.bytesPerJob)} B/job`)
    }
    // genejobs and BullMQ take turns, each going first every other run, so a machine that slows
    // down during the benchmark slows both alike.
    for (let i = 1; i <= settings.runs; i++) {
      if (i % 2 === 1) {
        await ours(i)
        await theirs(i)
      } else {
        await theirs(i)
        await ours(i)
      }
    }
    rows.push(
      measured({ id: `jobs.noop.c${concurrency}`, group: GROUP, name: `no-op jobs, concurrency ${concurrency}`, unit: 'jobs/s', values: rates, target: { op: '>=', value: target }, note }),
      measured({ id: `jobs.bullmq.c${concurrency}`, group: GROUP, name: `peer: BullMQ ${BULLMQ_VERSION}, concurrency ${concurrency}`, unit: 'jobs/s', values: bullmqRates, note: 'addBulk in batches of 1,000, default job options, one Worker; same runs, taking turns' })
    )
  }
  rows.push(
    measured({
      id: 'jobs.noop.bytes',
      group: GROUP,
      name: 'Redis memory per finished no-op job',
      unit: 'B',
      values: bytesPerJob,
      note: '(used_memory after the last completion - before the first enqueue) / jobs; every run of both concurrencies'
    }),
    measured({ id: 'jobs.bullmq.bytes', group: GROUP, name: 'peer: BullMQ, per finished job', unit: 'B', values: bullmqBytesPerJob, note: 'measured the same way (completed jobs kept: the default)' })
  )
  return rows
}

/** One no-op run on a fresh Redis: enqueue `total` jobs while one worker loop runs them. */
async function noopRun (total, concurrency) {
  return await withScope(async (scope) => {
    const redis = await startRedis(scope)
    // The stores a worker process makes (packages/worker/src/main.ts), its cached version pointer included.
    const { config, stores, keys } = await connectStores(scope, redis, { geneCacheEntries: 16 })
    const worker = new Worker({
      stores,
      keys,
      logger: createLogger('silent', 'genejobs-bench'),
      analyses: new Map([[NOOP.name, NOOP]]),
      concurrency,
      policy: { ...config.jobs, maxAttempts: 3, stalledAfterMs: 6000 },
      shutdownTimeoutMs: 5000
    })
    await worker.start()
    scope.defer(async () => { await worker.close() })

    const jobs = new JobQueue({ stores, keys, policy: config.jobs })
    const before = await redisMemory(stores.jobs)
    const started = performance.now()
    for (let sent = 0; sent < total; sent += BATCH) {
      // `noop` is no API analysis: createMany stores a request as given, without validating it.
      await jobs.createMany(Array.from({ length: Math.min(BATCH, total - sent) }, () => ({ analysis: NOOP.name })))
    }
    const finished = () => worker.stats.completed + worker.stats.failed + worker.stats.stale
    await pollUntil(() => finished() >= total, { timeoutMs: Math.max(60_000, total * 10), intervalMs: 2, what: () => `${total} no-op jobs to finish (${finished()} finished)` })
    const ms = performance.now() - started
    if (worker.stats.completed !== total) throw new Error(`no-op run: ${worker.stats.completed} of ${total} jobs completed (${JSON.stringify(worker.stats)})`)
    const after = await redisMemory(stores.jobs)
    return { ms, jobsPerSecond: total / (ms / 1000), bytesPerJob: (after.used - before.used) / total }
  })
}
