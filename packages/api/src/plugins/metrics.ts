import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client'
import { MetricsStore, createKeys, type MetricsSnapshot } from '@genejobs/jobs-core'
import { registerClusterMetrics } from './cluster-metrics.js'
import { RequestDurations } from './request-durations.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The API's Prometheus metrics; `scrape()` reads Redis and returns the text `GET /metrics` serves. */
    metrics: { registry: Registry, scrape: () => Promise<string> }
  }
}

/** How long a scrape waits for Redis before reporting it down (ms). */
const SCRAPE_REDIS_TIMEOUT_MS = 2000

/**
 * Prometheus metrics of the API: request durations by method, route pattern and status, jobs
 * created by analysis, the process's own metrics, and at scrape time the cluster-wide figures
 * kept in Redis (see cluster-metrics.ts). Each app has its own registry.
 */
export default fp<{ keyPrefix: string }>(async function metricsPlugin (app: FastifyInstance, options) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requests = new RequestDurations([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
  registry.registerMetric(requests as unknown as Metric)
  const created = new Counter({ name: 'genejobs_jobs_created_total', help: 'Jobs this API process accepted, by analysis.', labelNames: ['analysis'], registers: [registry] })
  const redisUp = new Gauge({ name: 'genejobs_redis_up', help: 'Whether Redis answered this scrape (1) or not (0).', registers: [registry] })
  const store = new MetricsStore(app.stores, createKeys(options.keyPrefix))
  let latest: MetricsSnapshot | null = null
  registerClusterMetrics(registry, () => latest)

  app.addHook('onResponse', (request, reply, done) => {
    // The pattern (`/genes/:hgnc_id`), never the path itself: one series per route, not per id.
    const route = request.routeOptions.url ?? 'unmatched'
    requests.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
    if (route === '/jobs' && request.method === 'POST' && reply.statusCode === 201) {
      const analysis = (request.body as { analysis?: unknown } | undefined)?.analysis
      if (typeof analysis === 'string') created.inc({ analysis })
    }
    done()
  })

  const scrape = async (): Promise<string> => {
    let timer: NodeJS.Timeout | undefined
    try {
      latest = await Promise.race([store.snapshot(), new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => { reject(new Error('redis did not answer in time')) }, SCRAPE_REDIS_TIMEOUT_MS)
      })])
      redisUp.set(1)
    } catch (err) {
      app.log.warn({ err }, 'metrics: redis figures unavailable')
      latest = null
      redisUp.set(0)
    } finally {
      clearTimeout(timer)
    }
    return await registry.metrics()
  }
  app.decorate('metrics', { registry, scrape })
}, { name: 'genejobs-metrics', dependencies: ['genejobs-stores'] })
