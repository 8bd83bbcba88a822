import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createKeys, createStores, GeneStore, JobQueue, ResultStore, type Config, type Stores } from '@genejobs/jobs-core'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis connections to the four stores. */
    stores: Stores
    /** The gene data. */
    genes: GeneStore
    /** The job lifecycle: creating a job queues it; job records and listings. */
    jobs: JobQueue
    /** Finished jobs' results. */
    results: ResultStore
  }
}

/** Options of the stores plugin: the config, and optionally stores made by the caller. */
export interface StoresPluginOptions {
  config: Config
  /** Stores the caller created and will close; when absent the plugin creates and closes its own. */
  stores?: Stores
}

/**
 * Connects to Redis and decorates the app with the stores and the gene store. The API does not wait
 * for Redis to start: requests answer 503 until it is reachable, and the clients keep reconnecting.
 */
export default fp<StoresPluginOptions>(async function storesPlugin (app: FastifyInstance, options) {
  const { config } = options
  const stores = options.stores ?? createStores(config.redis, config.databases, 'api', app.log, { geneCacheEntries: config.api.geneCacheEntries })
  const keys = createKeys(config.keyPrefix)
  app.decorate('stores', stores)
  app.decorate('genes', new GeneStore({ client: stores.genes, keys, logger: app.log, ...(stores.cachedGenes !== undefined ? { cachedReads: stores.cachedGenes } : {}) }))
  app.decorate('jobs', new JobQueue({ stores, keys, policy: config.jobs, durability: config.durability }))
  app.decorate('results', new ResultStore(stores.results, keys))
  if (options.stores === undefined) {
    stores.connect().catch((err: unknown) => app.log.error({ err }, 'redis connection failed'))
    app.addHook('onClose', async () => { await stores.close() })
  }
}, { name: 'genejobs-stores' })
