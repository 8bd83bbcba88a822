import type { FastifyInstance } from 'fastify'
import type { JobQueue } from '@genejobs/jobs-core'
import { fixturePath, startTestRedis, waitFor, type RedisServerOptions, type TestRedis } from '@genejobs/test-support'
import { buildApp } from '../src/app.js'

/** An app built against its own redis-server, for `inject` tests. */
export interface TestApp {
  app: FastifyInstance
  redis: TestRedis
}

/**
 * Starts a redis-server, builds the app against it (HGNC_SOURCE = the JSON fixture unless `env`
 * says otherwise) and registers teardown on `t`. `redisOptions` configure the redis-server (persistence).
 */
export async function buildTestApp (t: { teardown: (fn: () => Promise<void>) => void }, env: Record<string, string> = {}, redisOptions: RedisServerOptions = {}): Promise<TestApp> {
  const redis = await startTestRedis({ HGNC_SOURCE: fixturePath('genes.json'), ...env }, redisOptions)
  const app = await buildApp({ config: redis.config })
  t.teardown(async () => {
    await app.close()
    await redis.close()
  })
  await app.ready()
  await waitFor(() => app.stores.isReady(), { what: 'the API to connect to redis' })
  return { app, redis }
}

/**
 * Plays the worker's claim: claims jobs (skipping older ones) until job `id` is among them. Fails
 * after `timeoutMs` with the job's stored state when the job never reaches the queue, instead of
 * spinning until the test runner's timeout.
 */
export async function claimJob (app: FastifyInstance, queue: JobQueue, id: string, timeoutMs = 10_000): Promise<void> {
  try {
    await waitFor(async () => {
      for (;;) {
        const claimed = await queue.claim('test-worker', 1)
        if (claimed.some((job) => job.id === id)) return true
        if (claimed.length === 0) return false // queue empty: poll again after a pause
      }
    }, { timeoutMs, what: `job ${id} to be claimed` })
  } catch (err) {
    const job = await app.jobs.get(id)
    throw new Error(`job ${id} was never claimed from the queue; its record: ${JSON.stringify(job)}`, { cause: err })
  }
}
