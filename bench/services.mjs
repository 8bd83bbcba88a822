// The processes a benchmark starts: redis-server, the genejobs API and workers (a "stack"), Redis
// stores connected to them, and the resident memory of a process. Each is tied to a cleanup scope
// (lib.mjs), so it is stopped however the benchmark ends.
import { readFileSync, existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { createKeys, createStores, EnvSchema, loadConfig } from '@genejobs/jobs-core'
import { freePort, startRedisServer, startService } from '@genejobs/test-support'
import { pollUntil } from './lib.mjs'

// ---------------------------------------------------------------------------------------------
// Redis

/** Starts a throwaway redis-server on a free port (never 6379) and stops it when `scope` closes. */
export async function startRedis (scope) {
  const server = await startRedisServer()
  scope.defer(async () => { await server.stop() })
  return server
}

/**
 * The environment of every genejobs process a benchmark starts. Each genejobs setting is first
 * blanked (blank counts as unset), so a REDIS_URL, password, prefix or rate limit in the caller's
 * shell can neither point a benchmark at another Redis nor change what is measured.
 */
export function benchEnv (server, extra = {}) {
  const blank = Object.fromEntries(Object.keys(EnvSchema.properties).map((name) => [name, '']))
  return {
    ...blank,
    ...server.env,
    LOG_LEVEL: 'warn',
    // The limits protect a public API from one client; a benchmark is that one client.
    RATE_LIMIT_JOBS_PER_MINUTE: '0',
    RATE_LIMIT_HEAVY_PER_MINUTE: '0',
    ...extra
  }
}

/** Connects the four stores to `server` (closed with the scope; `options` as `createStores` takes them); returns them, the config and keys. */
export async function connectStores (scope, server, options = {}) {
  const config = loadConfig(benchEnv(server, { LOG_LEVEL: 'silent' }))
  const stores = createStores(config.redis, config.databases, 'genejobs-bench', undefined, options)
  scope.defer(async () => { await stores.close() })
  await stores.connect()
  return { config, stores, keys: createKeys(config.keyPrefix) }
}

/** CPU seconds process `pid` has used so far, all its threads (user + system, Linux `/proc`), or NaN when unknown. */
export function processCpuSeconds (pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** CPU seconds the Redis server behind `client` has used so far (`INFO cpu`: user + system). */
export async function redisCpuSeconds (client) {
  const info = String(await client.sendCommand(['INFO', 'cpu']))
  const field = (name) => Number(new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1])
  return field('used_cpu_user') + field('used_cpu_sys')
}

/** Redis's `used_memory` (bytes) and `used_memory_human`. */
export async function redisMemory (client) {
  const info = String(await client.sendCommand(['INFO', 'memory']))
  const field = (name) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim()
  return { used: Number(field('used_memory')), human: field('used_memory_human') }
}

// ---------------------------------------------------------------------------------------------
// Services

function assertRunning (service, name) {
  const { child } = service
  if (child.exitCode === null && child.signalCode === null) return
  const logs = service.logs.slice(-5).map((line) => JSON.stringify(line)).join('\n')
  throw new Error(`the ${name} exited (${child.signalCode ?? child.exitCode}):\n${service.output.join('').slice(-1500)}${logs}`)
}

/** Sends one request and returns its status and body (parsed when JSON). */
async function request (baseUrl, method, path, { body, headers = {}, timeoutMs = 60_000 } = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs)
  })
  const text = await response.text()
  let parsed = text
  try { parsed = JSON.parse(text) } catch {}
  return { status: response.status, body: parsed }
}

/**
 * Starts an API process with `env` on a free port and waits until `GET /health` answers 200.
 * It is killed when `scope` closes; `stop()` kills it earlier.
 */
export async function startApi (scope, env) {
  const port = await freePort()
  const service = startService('api', { ...env, HOST: '127.0.0.1', PORT: String(port) })
  const stop = async () => { await service.stop('SIGKILL') }
  scope.defer(stop)
  const baseUrl = `http://127.0.0.1:${port}`
  await pollUntil(async () => {
    assertRunning(service, 'API')
    try {
      return (await request(baseUrl, 'GET', '/health', { timeoutMs: 2000 })).status === 200
    } catch {
      return false // not listening yet
    }
  }, { timeoutMs: 30_000, intervalMs: 50, what: 'the API to answer GET /health' })
  return { service, port, baseUrl, stop, pid: service.child.pid }
}

/**
 * Starts redis-server, an API and `workers` worker processes, all torn down with `scope`. With
 * `hgncSource` the API loads from it (`loadData()`). Returns the stack and helpers to use it.
 */
export async function startStack (scope, { workers = 0, hgncSource: source } = {}) {
  const redis = await startRedis(scope)
  const { stores, keys } = await connectStores(scope, redis)
  // A random admin token: POST /data works the same whatever the caller's shell sets.
  const adminToken = randomBytes(24).toString('hex')
  const env = benchEnv(redis, { API_ADMIN_TOKEN: adminToken, WORKER_CONCURRENCY: '1', ...(source !== undefined ? { HGNC_SOURCE: source } : {}) })
  const api = await startApi(scope, env)
  const workerProcesses = []
  for (let i = 0; i < workers; i++) {
    const worker = startService('worker', env)
    scope.defer(async () => { await worker.stop('SIGKILL') })
    workerProcesses.push(worker)
  }
  // A worker registers in the workers set with its first heartbeat, just before its loop starts.
  await pollUntil(async () => {
    workerProcesses.forEach((worker) => assertRunning(worker, 'worker'))
    return workerProcesses.length === 0 || await stores.queue.sCard(keys.queue.workers) >= workerProcesses.length
  }, { timeoutMs: 30_000, intervalMs: 25, what: `${workers} worker(s) to register` })

  const stack = {
    redis,
    stores,
    keys,
    env,
    api,
    workers: workerProcesses,
    /** Throws when the API or a worker has died (so a poll fails at once instead of timing out). */
    assertRunning: () => {
      assertRunning(api.service, 'API')
      workerProcesses.forEach((worker) => assertRunning(worker, 'worker'))
    },
    request: async (method, path, options) => await request(api.baseUrl, method, path, options),
    /** `POST /data`: returns the API's `ms`, the wall time seen by the client, and the count. */
    loadData: async () => {
      const started = performance.now()
      const res = await request(api.baseUrl, 'POST', '/data', { headers: { authorization: `Bearer ${adminToken}` }, timeoutMs: 300_000 })
      const wallMs = performance.now() - started
      if (res.status !== 201) throw new Error(`POST /data answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`)
      return { wallMs, ms: res.body.ms, loaded: res.body.loaded }
    }
  }
  return stack
}

/**
 * Submits a job (`POST /jobs`) and polls `GET /jobs/:id` every 2 ms until it is complete or failed.
 * Returns `{ available: false, message }` when the API refuses the request with 400 (an analysis
 * that does not exist yet), else `{ available: true, ms, job }` with submit-to-finish time.
 */
export async function runJob (stack, body, { timeoutMs = 120_000 } = {}) {
  const started = performance.now()
  const submitted = await stack.request('POST', '/jobs', { body })
  if (submitted.status === 400) return { available: false, message: submitted.body?.message ?? String(submitted.body) }
  if (submitted.status !== 201) throw new Error(`POST /jobs answered ${submitted.status}: ${JSON.stringify(submitted.body).slice(0, 500)}`)
  const { id } = submitted.body
  const job = await pollUntil(async () => {
    const { status, body: current } = await stack.request('GET', `/jobs/${id}`)
    if (status !== 200) throw new Error(`GET /jobs/${id} answered ${status}: ${JSON.stringify(current).slice(0, 500)}`)
    if (current.status === 'complete' || current.status === 'failed') return current
    stack.assertRunning()
    return undefined
  }, { timeoutMs, intervalMs: 2, what: `job ${id} (${body.analysis ?? 'approval-timeline'}) to finish` })
  return { available: true, ms: performance.now() - started, job }
}

// ---------------------------------------------------------------------------------------------
// Memory of a process

function readRss (pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(match[1]) * 1024
}

/** Whether resident memory can be read (Linux `/proc`). */
export function canSampleRss () {
  return existsSync(`/proc/${process.pid}/status`)
}

/**
 * Samples process `pid`'s resident set size every `intervalMs` until `stop()`, which returns the
 * size before, the peak, and the growth (bytes).
 */
export function sampleRss (pid, intervalMs = 20) {
  const before = readRss(pid)
  let peak = before
  const sample = () => {
    try {
      peak = Math.max(peak, readRss(pid))
    } catch {} // the process may be gone: keep the peak seen so far
  }
  const timer = setInterval(sample, intervalMs)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return { before, peak, growth: peak - before }
    }
  }
}
