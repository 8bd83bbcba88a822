import { createKeys, createStores, loadConfig, type Config, type Keys, type Stores } from '@genejobs/jobs-core'
import { startRedisServer, type RedisServer, type RedisServerOptions } from './redis-server.js'

/** A redis-server for one test file, with a config and connected stores pointing at it. */
export interface TestRedis {
  server: RedisServer
  config: Config
  stores: Stores
  keys: Keys
  /** Every key in every store database, with its type and value, for before/after comparisons. */
  snapshot: () => Promise<Record<string, string>>
  /** Closes the stores and stops the server. */
  close: () => Promise<void>
}

/** Starts a redis-server and connects the four stores to it (`env` adds settings to the config). */
export async function startTestRedis (env: Record<string, string> = {}, options: RedisServerOptions = {}): Promise<TestRedis> {
  const server = await startRedisServer(options)
  const config = loadConfig({ LOG_LEVEL: 'silent', ...server.env, ...env })
  const stores = createStores(config.redis, config.databases, 'test')
  await stores.connect()
  return {
    server,
    config,
    stores,
    keys: createKeys(config.keyPrefix),
    snapshot: async () => {
      const snapshot: Record<string, string> = {}
      for (const [store, client] of Object.entries({ genes: stores.genes, queue: stores.queue, jobs: stores.jobs, results: stores.results })) {
        for (const key of await client.keys('*')) {
          const dump = await client.sendCommand(['DUMP', key])
          snapshot[`${store}/${key}`] = Buffer.from(String(dump), 'binary').toString('base64')
        }
      }
      return snapshot
    },
    close: async () => {
      await stores.close()
      await server.stop()
    }
  }
}
