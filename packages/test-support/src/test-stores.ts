import { createKeys, createStores, loadConfig, type Config, type Keys, type Stores } from '@genejobs/jobs-core'
import { RESP_TYPES } from 'redis'
import { startRedisServer, type RedisServer, type RedisServerOptions } from './redis-server.js'

type Client = Stores['jobs']

/**
 * A key's type and exact value, the same whenever the data is: a hash's fields and a set's members
 * sorted (a large one's `DUMP` lists them in its hash table's order, which a mere read can change
 * while the table grows), anything else as `DUMP` gives it.
 */
async function keyValue (client: Client, key: string): Promise<string> {
  const raw = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.MAP]: Array, [RESP_TYPES.SET]: Array })
  const type = String(await client.type(key))
  if (type === 'hash') {
    const flat = await raw.sendCommand(['HGETALL', key]) as unknown as Buffer[]
    const pairs: string[] = []
    for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]?.toString('base64') ?? ''}=${flat[i + 1]?.toString('base64') ?? ''}`)
    return `hash:${pairs.sort().join(',')}`
  }
  if (type === 'set') {
    const members = await raw.sendCommand(['SMEMBERS', key]) as unknown as Buffer[]
    return `set:${members.map((member) => member.toString('base64')).sort().join(',')}`
  }
  const dump = await raw.sendCommand(['DUMP', key]) as unknown as Buffer
  return `${type}:${dump.toString('base64')}`
}

/** A redis-server for one test file, with a config and connected stores pointing at it. */
export interface TestRedis {
  server: RedisServer
  config: Config
  stores: Stores
  keys: Keys
  /** Every key in every store database, with its type and value (see `keyValue`), for before/after comparisons. */
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
        for (const key of await client.keys('*')) snapshot[`${store}/${key}`] = await keyValue(client, key)
      }
      return snapshot
    },
    close: async () => {
      await stores.close()
      await server.stop()
    }
  }
}
