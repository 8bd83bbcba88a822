// The Grafana dashboard (deploy/grafana/genejobs.json) may only chart metrics the API's or a
// worker's GET /metrics really serves: a renamed metric must fail here, not on a blank panel.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { createLogger } from '@genejobs/jobs-core'
import { parsePrometheus, startTestRedis } from '@genejobs/test-support'
import { buildApp } from '../packages/api/src/app.js'
import { createWorkerMetrics } from '../packages/worker/src/metrics.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
interface Panel { title: string, type: string, targets?: Array<{ expr: string, refId: string }> }
const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/genejobs.json'), 'utf8')) as { uid: string, title: string, panels: Panel[] }

/** Series Prometheus itself adds to every target (not served by genejobs). */
const PROMETHEUS_OWN = new Set(['up'])
/** PromQL words that look like metric names but are functions, keywords or label names. */
const PROMQL_WORDS = new Set(['max', 'min', 'sum', 'count', 'by', 'rate', 'histogram_quantile', 'le', 'analysis', 'outcome', 'route', 'status_code', 'pod', 'job', 'without', 'increase'])

/** The metric names a PromQL expression reads: identifiers not inside quotes, braces' label names or [ranges]. */
function metricNames (expr: string): string[] {
  const bare = expr.replace(/"[^"]*"/g, '""').replace(/\[[^\]]*\]/g, '').replace(/\{[^}]*\}/g, '{}').replace(/\$\w+/g, '')
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g)].map((m) => m[1] ?? '')
    .filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name) && name !== 'e9')
}

t.test('every metric the dashboard charts is served by the API or a worker', async (t) => {
  const redis = await startTestRedis()
  const app = await buildApp({ config: redis.config, stores: redis.stores })
  t.teardown(async () => {
    await app.close()
    await redis.close()
  })
  await app.ready()
  const api = parsePrometheus((await app.inject({ method: 'GET', url: '/metrics' })).body)
  const worker = parsePrometheus(await createWorkerMetrics({ logger: createLogger('silent', 'genejobs-worker'), running: () => 0, concurrency: 1 }).registry.metrics())
  const served = (name: string) => [api, worker].some((m) => m.types.has(name) ||
    (/_(bucket|sum|count)$/.test(name) && m.types.get(name.replace(/_(bucket|sum|count)$/, '')) === 'histogram'))

  t.equal(dashboard.uid, 'genejobs')
  t.ok(dashboard.panels.length >= 8, `${dashboard.panels.length} panels`)
  const used = new Set<string>()
  for (const panel of dashboard.panels) {
    t.ok((panel.targets ?? []).length > 0, `${panel.title} has queries`)
    for (const target of panel.targets ?? []) for (const name of metricNames(target.expr)) used.add(name)
  }
  for (const name of used) {
    if (PROMETHEUS_OWN.has(name)) continue
    t.ok(served(name), `${name} is served by GET /metrics`)
  }
  // The four things the dashboard is for.
  for (const needed of ['genejobs_queue_pending_jobs', 'genejobs_jobs_finished_total', 'genejobs_job_duration_seconds_bucket', 'genejobs_http_request_duration_seconds_count', 'genejobs_job_retries_total']) {
    t.ok(used.has(needed), `charts ${needed}`)
  }
})
