import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger } from 'fastify'
import { loggerOptions, type Config, type Stores } from '@genejobs/jobs-core'
import errorsPlugin from './plugins/errors.js'
import storesPlugin from './plugins/stores.js'
import dataRoutes from './routes/data/index.js'
import geneRoutes from './routes/genes/index.js'
import healthRoutes from './routes/health/index.js'
import jobRoutes from './routes/jobs/index.js'
import resultRoutes from './routes/results/index.js'
import symbolRoutes from './routes/symbols/index.js'

/** What `buildApp` needs: the config, and optionally a logger and Redis stores made by the caller. */
export interface BuildAppOptions {
  config: Config
  /** The process logger; by default a pino logger at `config.logLevel`. */
  logger?: FastifyBaseLogger
  /** Redis stores the caller owns and closes; by default the app creates and closes its own. */
  stores?: Stores
}

/**
 * Builds the genejobs API (not listening): plugins first, then routes. Tests call it and use
 * `inject`; `server.ts` calls it and listens.
 */
export async function buildApp (options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    ...(options.logger !== undefined ? { loggerInstance: options.logger } : { logger: loggerOptions(config.logLevel, 'genejobs-api') }),
    bodyLimit: config.api.bodyLimit,
    // A request id in every log line of a request, taken from the caller when given.
    requestIdHeader: 'x-request-id',
    return503OnClosing: true
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(errorsPlugin)
  await app.register(storesPlugin, { config, ...(options.stores !== undefined ? { stores: options.stores } : {}) })

  await app.register(healthRoutes)
  await app.register(dataRoutes, { hgncSource: config.hgncSource })
  await app.register(geneRoutes)
  await app.register(symbolRoutes)
  await app.register(jobRoutes)
  await app.register(resultRoutes)
  return app
}
