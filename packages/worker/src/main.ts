import { createKeys, createLogger, createStores, createTestRunCounter, loadConfigOrExit } from '@genejobs/jobs-core'
import { createAnalysisRegistry } from './analyses/index.js'
import { Worker } from './worker.js'

async function main (): Promise<void> {
  const config = loadConfigOrExit('genejobs-worker')
  const logger = createLogger(config.logLevel, 'genejobs-worker')
  const stores = createStores(config.redis, config.databases, 'worker', logger)
  const keys = createKeys(config.keyPrefix)
  // Wait for Redis rather than crash-loop when it is not up yet: the clients keep reconnecting.
  await stores.connect()
  if (config.worker.testAnalyses) logger.warn('test-only analyses are enabled (ENABLE_TEST_ANALYSES=true); never do this in production')
  const worker = new Worker({
    stores,
    keys,
    logger,
    analyses: createAnalysisRegistry({ testAnalyses: config.worker.testAnalyses }),
    ...(config.worker.testAnalyses ? { countRun: createTestRunCounter(stores, keys) } : {}),
    concurrency: config.worker.concurrency,
    policy: config.jobs,
    shutdownTimeoutMs: config.worker.shutdownTimeoutMs
  })
  await worker.start()

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down')
    await worker.close()
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
