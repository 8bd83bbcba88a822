import { ConfigError, createLogger, createStores, loadConfig } from '@genejobs/jobs-core'

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`genejobs-worker: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  const logger = createLogger(config.logLevel, 'genejobs-worker')
  const stores = createStores(config.redis, config.databases, 'worker', logger)
  await stores.connect()
  logger.info('genejobs worker ready (no analyses yet)')
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down')
    await stores.close()
    process.exit(0)
  }
  process.once('SIGTERM', () => { stop('SIGTERM').catch(() => process.exit(1)) })
  process.once('SIGINT', () => { stop('SIGINT').catch(() => process.exit(1)) })
}

await main()
