import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger } from 'fastify'
import { loggerOptions, type Config, type Stores } from '@genejobs/jobs-core'
import type { ResultRenderer } from '@genejobs/render'
import authPlugin from './plugins/auth.js'
import dashboardPlugin from './plugins/dashboard.js'
import bodyParsersPlugin from './plugins/body-parsers.js'
import jobEventsPlugin from './plugins/job-events.js'
import lifecyclePlugin from './plugins/lifecycle.js'
import metricsPlugin from './plugins/metrics.js'
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors.js'
import openapiPlugin from './plugins/openapi.js'
import rateLimitPlugin from './plugins/rate-limit.js'
import securityPlugin from './plugins/security.js'
import storesPlugin from './plugins/stores.js'
import strictNumbersPlugin from './plugins/strict-numbers.js'
import analysesRoutes from './routes/analyses.js'
import dataRoutes from './routes/data.js'
import dataInfoRoutes from './routes/data-info.js'
import fetchRoutes from './routes/fetch.js'
import searchRoutes from './routes/search.js'
import geneRoutes from './routes/genes.js'
import healthRoutes from './routes/health.js'
import jobEventRoutes from './routes/job-events.js'
import metricsRoutes from './routes/metrics.js'
import jobRoutes from './routes/jobs.js'
import queueRoutes from './routes/queue.js'
import resultRoutes from './routes/results.js'
import symbolRoutes from './routes/symbols.js'
import { AJV_OPTIONS, formatValidationErrors } from './validation-errors.js'

/** What a caller-chosen request id may look like. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** What `buildApp` needs: the config, and optionally a logger and Redis stores made by the caller. */
export interface BuildAppOptions {
  config: Config
  /** The process logger; by default a pino logger at `config.logLevel`. */
  logger?: FastifyBaseLogger
  /** Redis stores the caller owns and closes; by default the app creates and closes its own. */
  stores?: Stores
  /** Draws results' SVG, PNG, CSV and TSV on first request; by default `@genejobs/render`'s, loaded then. */
  renderer?: ResultRenderer
}

/**
 * Builds the genejobs API (not listening): plugins first, then routes. Tests call it and use
 * `inject`; `server.ts` calls it and listens. Every request is checked before any Redis call:
 * security headers, rate limits and the admin token (`onRequest`), then the body (JSON only,
 * at most `BODY_LIMIT` bytes), then the route's schema (unknown fields refused).
 */
export async function buildApp (options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    ...(options.logger !== undefined ? { loggerInstance: options.logger } : { logger: loggerOptions(config.logLevel, 'genejobs-api') }),
    bodyLimit: config.api.bodyLimit,
    // Close a connection whose headers have not all arrived in time (slowloris), checked every second.
    http: { headersTimeout: config.api.headersTimeoutMs, connectionsCheckingInterval: 1000 },
    // A request id in every log line of a request, taken from the caller's X-Request-Id when it is
    // a short plain token (anything else could flood or forge log lines), otherwise a new UUID.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    return503OnClosing: true,
    // `GET /jobs/` reaches `GET /jobs`, as clients written for other versions of this service expect.
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: AJV_OPTIONS },
    schemaErrorFormatter: formatValidationErrors,
    frameworkErrors,
    clientErrorHandler
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(errorsPlugin)
  await app.register(securityPlugin, { corsOrigins: config.security.corsOrigins })
  await app.register(bodyParsersPlugin)
  await app.register(strictNumbersPlugin)
  await app.register(authPlugin, config.security.adminToken !== undefined ? { adminToken: config.security.adminToken } : {})
  await app.register(rateLimitPlugin, config.security.rateLimit)
  await app.register(storesPlugin, { config, ...(options.stores !== undefined ? { stores: options.stores } : {}) })
  // Before the routes: it documents every route registered after it.
  await app.register(openapiPlugin)

  await app.register(lifecyclePlugin)
  await app.register(metricsPlugin, { keyPrefix: config.keyPrefix })
  await app.register(jobEventsPlugin, { config })

  await app.register(healthRoutes)
  await app.register(metricsRoutes)
  await app.register(dataRoutes, { hgncSource: config.hgncSource })
  await app.register(dataInfoRoutes)
  await app.register(geneRoutes)
  await app.register(symbolRoutes)
  await app.register(fetchRoutes)
  await app.register(searchRoutes)
  await app.register(jobRoutes, { testAnalyses: config.worker.testAnalyses })
  await app.register(jobEventRoutes)
  await app.register(queueRoutes)
  // vega and resvg load on the first drawing (or the server's warm-up), not with every app.
  let renderer: Promise<ResultRenderer> | undefined
  const loadRenderer = async (): Promise<ResultRenderer> => {
    renderer ??= options.renderer !== undefined
      ? Promise.resolve(options.renderer)
      : import('@genejobs/render').then((render) => render.createResultRenderer({ logger: app.log }))
    return await renderer
  }
  await app.register(resultRoutes, { renderer: loadRenderer })
  await app.register(analysesRoutes, { testAnalyses: config.worker.testAnalyses })
  await app.register(dashboardPlugin)
  return app
}
