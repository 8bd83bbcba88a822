// Group "scale" (issue 14): real analysis jobs per second with 1, 2 and 4 worker processes, on one
// Redis and on a local Redis Cluster of 3 masters (REDIS_CLUSTER_NODES). The jobs are the charts
// group's mix: the four analyses in turn, each on a 500-id range or 100 symbols, submitted over
// HTTP to one API process while the workers run them. Everything runs on this machine, so the API,
// the workers and Redis share its cores: the figures show where that stops the scaling.
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { startRedisCluster, startRedisServer, startService } from '@genejobs/test-support'
import { readJobFields } from '@genejobs/jobs-core'
import { smallJobMix } from './analyses.mjs'
import { measured, notRun, pollUntil, progress, withScope } from './lib.mjs'
import { benchEnv, connectStores, processCpuSeconds, startApi } from './services.mjs'

const GROUP = 'scale'
/** Jobs per run. */
const JOBS_PER_RUN = 400
/** Requests in flight while submitting. */
const SUBMITTERS = 16
const WORKER_COUNTS = [1, 2, 4]
const BACKENDS = [
  { id: 'redis', label: 'one Redis', start: async () => await startRedisServer() },
  { id: 'cluster', label: 'Redis Cluster, 3 masters', start: async () => await startRedisCluster({ masters: 3 }) }
]

/** The process ids of a Redis server's or a cluster's redis-server processes (`INFO server`). */
function redisPids (server) {
  const ports = server.nodes !== undefined ? server.nodes.map((node) => node.port) : [server.port]
  return ports.map((port) => Number(/process_id:(\d+)/.exec(execFileSync('redis-cli', ['-p', String(port), 'INFO', 'server'], { encoding: 'utf8' }))?.[1]))
}

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  const rows = BACKENDS.flatMap((backend) => WORKER_COUNTS.map((workers) => ({
    id: `scale.${backend.id}.w${workers}`,
    name: `small analysis jobs, ${workers} worker process${workers > 1 ? 'es' : ''}, ${backend.label}`,
    unit: 'jobs/s'
  })))
  if (data.reason !== undefined) return rows.map((row) => notRun({ group: GROUP, ...row, reason: data.reason }))
  const mix = smallJobMix(data.path, 14_014)
  if (mix.reason !== undefined) return rows.map((row) => notRun({ group: GROUP, ...row, reason: mix.reason }))
  const { body } = mix
  const results = []
  for (const backend of BACKENDS) {
    results.push(...await withScope(async (scope) => {
      const server = await backend.start()
      scope.defer(async () => { await server.stop() })
      const { stores, keys } = await connectStores(scope, server)
      const redisProcesses = redisPids(server)
      const adminToken = randomBytes(24).toString('hex')
      const env = benchEnv(server, { API_ADMIN_TOKEN: adminToken, WORKER_CONCURRENCY: '1', HGNC_SOURCE: data.path })
      const api = await startApi(scope, env)
      const load = await fetch(`${api.baseUrl}/data`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } })
      if (load.status !== 201) throw new Error(`POST /data answered ${load.status}: ${(await load.text()).slice(0, 300)}`)
      const workers = []
      const out = []
      for (const count of WORKER_COUNTS) {
        while (workers.length < count) {
          const worker = startService('worker', env)
          scope.defer(async () => { await worker.stop('SIGKILL') })
          workers.push(worker)
        }
        await pollUntil(async () => await stores.queue.sCard(keys.queue.workers) >= count, { timeoutMs: 30_000, what: `${count} workers to register` })
        const timedRun = async () => {
          const pids = [process.pid, api.pid, ...redisProcesses, ...workers.map((w) => w.child.pid)]
          const cpuBefore = pids.map(processCpuSeconds)
          const started = performance.now()
          const ids = []
          const bodies = Array.from({ length: JOBS_PER_RUN }, (_, i) => body(i))
          await Promise.all(Array.from({ length: SUBMITTERS }, async () => {
            while (bodies.length > 0) {
              const res = await fetch(`${api.baseUrl}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies.shift()) })
              const answer = await res.json()
              if (res.status !== 201) throw new Error(`POST /jobs answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`)
              ids.push(answer.id)
            }
          }))
          // Only the jobs not seen complete yet are read again, so polling costs Redis little.
          let waiting = ids
          await pollUntil(async () => {
            const statuses = await Promise.all(waiting.map(async (id) => (await readJobFields(stores.jobs, keys, id, ['status']))[0]))
            const failed = statuses.indexOf('failed')
            if (failed >= 0) throw new Error(`job ${waiting[failed]} failed: ${await stores.jobs.hGet(keys.jobs.record(waiting[failed]), 'error')}`)
            waiting = waiting.filter((_, i) => statuses[i] !== 'complete')
            return waiting.length === 0
          }, { timeoutMs: 300_000, intervalMs: 10, what: `${JOBS_PER_RUN} jobs to complete` })
          const seconds = (performance.now() - started) / 1000
          const cpu = pids.map((pid, i) => (processCpuSeconds(pid) - cpuBefore[i]) / seconds)
          const percent = (shares) => shares.map((share) => `${Math.round(share * 100)}%`).join(' ')
          const redisEnd = 2 + redisProcesses.length
          cpuShares.push(`bench ${percent(cpu.slice(0, 1))}, API ${percent(cpu.slice(1, 2))}, Redis ${percent(cpu.slice(2, redisEnd))}, workers ${percent(cpu.slice(redisEnd))}; total ${Math.round(cpu.reduce((a, b) => a + b, 0) * 100)}%`)
          return JOBS_PER_RUN / seconds
        }
        const cpuShares = []
        // The first run warms up the new workers (each builds its projection of the data on first use).
        progress(GROUP, `${backend.label}, ${count} worker(s): warm-up ${Math.round(await timedRun())} jobs/s`)
        const rates = []
        for (let i = 1; i <= Math.min(settings.runs, 3); i++) {
          rates.push(await timedRun())
          progress(GROUP, `${backend.label}, ${count} worker(s), run ${i}: ${Math.round(rates.at(-1))} jobs/s; CPU (of one core) ${cpuShares.at(-1)}`)
        }
        const row = rows.find((r) => r.id === `scale.${backend.id}.w${count}`)
        out.push(measured({ group: GROUP, ...row, values: rates, note: `${JOBS_PER_RUN} jobs (4 analyses, 500-id ranges or 100 symbols) over HTTP, ${SUBMITTERS} at a time; WORKER_CONCURRENCY=1` }))
      }
      return out
    }))
  }
  return results
}
