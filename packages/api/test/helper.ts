import type { FastifyInstance } from 'fastify'
import { fixturePath, startTestRedis, waitFor, type TestRedis } from '@genejobs/test-support'
import { buildApp } from '../src/app.js'

/** An app built against its own redis-server, for `inject` tests. */
export interface TestApp {
  app: FastifyInstance
  redis: TestRedis
}

/**
 * Starts a redis-server, builds the app against it (HGNC_SOURCE = the JSON fixture unless `env`
 * says otherwise) and registers teardown on `t`.
 */
export async function buildTestApp (t: { teardown: (fn: () => Promise<void>) => void }, env: Record<string, string> = {}): Promise<TestApp> {
  const redis = await startTestRedis({ HGNC_SOURCE: fixturePath('genes.json'), ...env })
  const app = await buildApp({ config: redis.config })
  t.teardown(async () => {
    await app.close()
    await redis.close()
  })
  await app.ready()
  await waitFor(() => app.stores.isReady(), { what: 'the API to connect to redis' })
  return { app, redis }
}
