import { MetricsStore, createKeys, createLogger, createStores, createTestRunCounter, loadConfigOrExit } from '@genejobs/jobs-core'
import { createAnalysisRegistry } from './analyses/index.js'
import { createWorkerMetrics, startMetricsServer, type MetricsServer } from './metrics.js'
import { Worker } from './worker.js'

async function main (): Promise<void> {
  const config = loadConfigOrExit('genejobs-worker')
  const logger = createLogger(config.logLevel, 'genejobs-worker')
  // A few cached reads (the data version pointer, kept true by Redis): each result names its data
  // version without a round trip.
  const stores = createStores(config.redis, config.databases, 'worker', logger, { geneCacheEntries: 16 })
  const keys = createKeys(config.keyPrefix)
  // Wait for Redis rather than crash-loop when it is not up yet: the clients keep reconnecting.
  await stores.connect()
  if (config.worker.testAnalyses) logger.warn('test-only analyses are enabled (ENABLE_TEST_ANALYSES=true); never do this in production')
  let running = () => 0
  const metrics = createWorkerMetrics({ store: new MetricsStore(stores, keys), logger, running: () => running(), concurrency: config.worker.concurrency })
  const worker = new Worker({
    stores,
    keys,
    logger,
    analyses: createAnalysisRegistry({ testAnalyses: config.worker.testAnalyses }),
    ...(config.worker.testAnalyses ? { countRun: createTestRunCounter(stores, keys) } : {}),
    concurrency: config.worker.concurrency,
    policy: config.jobs,
    shutdownTimeoutMs: config.worker.shutdownTimeoutMs,
    metrics: metrics.sink
  })
  running = () => worker.active
  await worker.start()
  let metricsServer: MetricsServer | undefined
  if (config.worker.metricsPort !== undefined) {
    metricsServer = await startMetricsServer(metrics.registry, { host: config.api.host, port: config.worker.metricsPort, workerId: worker.id, running })
    logger.info({ worker: worker.id, host: config.api.host, port: metricsServer.port }, 'worker metrics and health served on GET /metrics and GET /health')
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down')
    metricsServer?.markStopping()
    await worker.close()
    await metricsServer?.close()
    await stores.close()
    process.exit(0)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed')
        process.exit(1)
      })
    })
  }
}

await main()
