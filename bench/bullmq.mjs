// The BullMQ peer of the no-op queue benchmark (issue 15): the same no-op jobs through BullMQ, the
// way its own benchmark runs them: default job options, one `Worker` at the given concurrency,
// `Queue.addBulk` in batches of 1,000, timed from the first add to the last `completed` event, on a
// fresh redis-server of its own. BullMQ is a dev dependency of the repository root only: nothing
// in packages/ uses it.
import { Queue, Worker } from 'bullmq'
import { createClient } from 'redis'
import { pollUntil, withScope } from './lib.mjs'
import { redisMemory, startRedis } from './services.mjs'

/** Jobs per `addBulk` call. */
const BATCH = 1000
const QUEUE = 'bench-noop'

/**
 * One BullMQ no-op run on a fresh Redis: `total` jobs added while one worker at `concurrency`
 * runs them. Returns the time, jobs/s and the Redis memory per finished job, measured as for
 * genejobs: (`used_memory` after the last completion - before the first add) / jobs.
 */
export async function bullmqNoopRun (total, concurrency) {
  return await withScope(async (scope) => {
    const redis = await startRedis(scope)
    const connection = { host: '127.0.0.1', port: redis.port }
    const queue = new Queue(QUEUE, { connection })
    scope.defer(async () => { await queue.close() })
    let completed = 0
    let failed = 0
    const worker = new Worker(QUEUE, async () => {}, { connection, concurrency })
    scope.defer(async () => { await worker.close(true) })
    worker.on('completed', () => { completed++ })
    worker.on('failed', () => { failed++ })
    worker.on('error', () => {}) // a closing connection at teardown is not a result
    await worker.waitUntilReady()
    // INFO memory through a client of our own (node-redis, as for genejobs), open before and after.
    const client = createClient({ url: redis.url })
    await client.connect()
    scope.defer(async () => { await client.close() })
    const before = (await redisMemory(client)).used

    const started = performance.now()
    for (let sent = 0; sent < total; sent += BATCH) {
      const size = Math.min(BATCH, total - sent)
      await queue.addBulk(Array.from({ length: size }, () => ({ name: 'noop', data: {} })))
    }
    await pollUntil(() => completed + failed >= total, { timeoutMs: Math.max(60_000, total * 10), intervalMs: 2, what: () => `${total} BullMQ no-op jobs to finish (${completed} completed)` })
    const ms = performance.now() - started
    if (completed !== total) throw new Error(`BullMQ no-op run: ${completed} of ${total} jobs completed, ${failed} failed`)
    const after = (await redisMemory(client)).used
    return { ms, jobsPerSecond: total / (ms / 1000), bytesPerJob: (after - before) / total }
  })
}
