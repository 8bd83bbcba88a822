import closeWithGrace from 'close-with-grace'
import { createLogger, loadConfigOrExit } from '@genejobs/jobs-core'
import { buildApp } from './app.js'

/** How long shutdown may take before the process gives up waiting and exits. */
const SHUTDOWN_GRACE_MS = 10_000

async function main (): Promise<void> {
  const config = loadConfigOrExit('genejobs-api')
  const logger = createLogger(config.logLevel, 'genejobs-api')
  const app = await buildApp({ config, logger })
  if (config.worker.testAnalyses) logger.warn('test-only analyses are accepted (ENABLE_TEST_ANALYSES=true); never do this in production')
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
    if (err !== undefined) logger.error({ err }, 'shutting down after an error')
    else logger.info({ signal }, 'shutting down')
    // Unready first (GET /health/ready answers 503), then stop listening and release Redis.
    app.lifecycle.shuttingDown = true
    await app.close()
  })
  await app.listen({ host: config.api.host, port: config.api.port })
  // Draw one chart now, so the first chart a user asks for is drawn as fast as the later ones; a
  // missing chart font is said here, and again on each chart request, which answers 500 with it.
  import('@genejobs/render').then(async (render) => { await render.warmUpCharts() })
    .catch((err: unknown) => { logger.error({ err }, `charts cannot be drawn: ${(err as Error).message}`) })
  const { clusterNodes } = config.redis
  const redis = clusterNodes !== undefined
    ? `cluster ${clusterNodes.map((node) => `${node.host}:${node.port}`).join(',')}`
    : config.redis.url !== undefined ? '(REDIS_URL)' : `${config.redis.host}:${config.redis.port}`
  const { security } = config
  logger.info({
    redis,
    databases: config.databases,
    hgncSource: config.hgncSource,
    // Never the token itself: only whether admin routes need one or are loopback-only.
    adminRoutes: security.adminToken !== undefined ? 'bearer token' : 'loopback only',
    rateLimitPerMinute: { jobs: security.rateLimit.jobsPerMinute, heavyReads: security.rateLimit.heavyPerMinute },
    bodyLimit: config.api.bodyLimit,
    cors: security.corsOrigins.length > 0 ? security.corsOrigins : 'off'
  }, 'genejobs API ready')
}

await main()
