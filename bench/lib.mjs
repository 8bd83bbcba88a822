// Shared helpers of the benchmark suite: settings, statistics, result rows and the summary table,
// starting a genejobs stack (redis-server, API, workers) and always tearing it down, polling with
// deadlines, and sampling a process's resident memory.
import { readFileSync, existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createKeys, createStores, EnvSchema, loadConfig } from '@genejobs/jobs-core'
import { freePort, startRedisServer, startService } from '@genejobs/test-support'

/** The repository's root folder. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Bytes in the "MB" the targets and Redis's `used_memory_human` use. */
export const MB = 1024 * 1024

// ---------------------------------------------------------------------------------------------
// Settings

function positiveInt (name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
    throw new Error(`${name}=${JSON.stringify(raw)} is invalid: expected a whole number of at least 1`)
  }
  return Number(raw)
}

/**
 * The benchmark settings from the environment: `BENCH_RUNS` (measured runs per benchmark),
 * `BENCH_DURATION` (seconds of each autocannon run), `BENCH_NOOP_JOBS` (jobs per no-op run).
 */
export function readSettings () {
  return {
    runs: positiveInt('BENCH_RUNS', 5),
    durationSeconds: positiveInt('BENCH_DURATION', 10),
    noopJobs: positiveInt('BENCH_NOOP_JOBS', 20_000)
  }
}

/**
 * Where the real HGNC data set is: `HGNC_SOURCE` (a file path or file:// URL), else
 * `../shared/data/hgnc_complete_set.json.gz` beside the repository. Returns `{ path }`, or
 * `{ reason }` to print when the benchmarks that need it are skipped.
 */
export function hgncSource () {
  const configured = process.env.HGNC_SOURCE ?? ''
  if (/^https?:\/\//i.test(configured)) {
    return { reason: `HGNC_SOURCE=${configured} is a URL: the benchmarks measure loading from a local file, so point it at the (gzipped) HGNC JSON` }
  }
  const path = configured === ''
    ? join(REPO_ROOT, '..', 'shared', 'data', 'hgnc_complete_set.json.gz')
    : configured.startsWith('file://') ? fileURLToPath(configured) : resolve(configured)
  if (!existsSync(path)) return { reason: `real HGNC data not found at ${path} (set HGNC_SOURCE to the gzipped HGNC JSON)` }
  return { path }
}

// ---------------------------------------------------------------------------------------------
// Statistics and result rows

/** Median, min and max of a non-empty list of numbers. */
export function stats (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1] }
}

/**
 * One measured result: the runs' values, their median/min/max, and PASS/MISS when it has a target
 * (`{ op: '<=' | '>=', value }`); without one it is shown for information. `id` (e.g.
 * `api.genes.rps`) names a row the same-run comparisons (compare.mjs) read.
 */
export function measured ({ id, group, name, unit, values, target, note }) {
  const summary = stats(values)
  let status = 'info'
  if (target !== undefined) {
    const met = target.op === '<=' ? summary.median <= target.value : summary.median >= target.value
    status = met ? 'PASS' : 'MISS'
  }
  return { ...(id !== undefined ? { id } : {}), group, name, unit, values, ...summary, ...(target !== undefined ? { target } : {}), status, ...(note !== undefined ? { note } : {}) }
}

/** A benchmark that did not run: `status` is `skipped` (no data), `n/a` (not available) or `error`. */
export function notRun ({ id, group, name, unit, target, status = 'skipped', reason }) {
  return { ...(id !== undefined ? { id } : {}), group, name, unit, ...(target !== undefined ? { target } : {}), status, note: reason }
}

function formatNumber (value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '-'
  switch (unit) {
    case 'ms':
      return `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)} ms`
    case 'MB':
      return `${value.toFixed(1)} MB`
    case '×':
      return `${value.toFixed(2)}×`
    default:
      return `${Math.round(value).toLocaleString('en-US')} ${unit}`
  }
}

/** Prints the rows as an aligned table, one block per group, notes in the last column. */
export function printTable (rows, out = process.stdout) {
  const header = ['benchmark', 'median', 'min', 'max', 'target', 'result', 'notes']
  const lines = rows.map((row) => [
    row.name,
    formatNumber(row.median, row.unit),
    formatNumber(row.min, row.unit),
    formatNumber(row.max, row.unit),
    row.target === undefined ? '' : `${row.target.op} ${formatNumber(row.target.value, row.unit)}`,
    row.status,
    row.note ?? ''
  ])
  const widths = header.slice(0, -1).map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells) => cells.map((cell, i) => {
    if (i === cells.length - 1) return cell
    // Text columns line up on the left, numbers on the right.
    return i === 0 || i === 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])
  }).join('  ').trimEnd()
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width + 2, 0) + 'notes'.length)
  out.write(`${format(header)}\n`)
  let group
  lines.forEach((line, i) => {
    if (rows[i].group !== group) {
      group = rows[i].group
      out.write(`${rule}\n[${group}]\n`)
    }
    out.write(`${format(line)}\n`)
  })
  out.write(`${rule}\n`)
}

/** Progress lines go to stderr, so stdout holds only the table. */
export function progress (group, message) {
  process.stderr.write(`[${group}] ${message}\n`)
}

// ---------------------------------------------------------------------------------------------
// Cleanup scopes: every process, client and temp dir a benchmark starts is registered here, and
// released in reverse order when the benchmark ends, throws, or the run is interrupted.

const openScopes = new Set()

/** A list of cleanup steps run last-in first-out. */
export class Scope {
  #steps = []
  #closing

  /** Registers `step` to run when the scope closes. */
  defer (step) {
    this.#steps.push(step)
  }

  /**
   * Runs every step (each even when an earlier one fails). A second call (Ctrl-C while the
   * benchmark's own `finally` is closing) returns the same promise, so it waits for every step.
   */
  close () {
    this.#closing ??= this.#runSteps()
    return this.#closing
  }

  async #runSteps () {
    const errors = []
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()
      try {
        await step()
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `cleanup failed: ${errors.map((err) => err.message).join('; ')}`)
  }
}

/** Runs `fn(scope)` and closes the scope afterwards, whatever happens. */
export async function withScope (fn) {
  const scope = new Scope()
  openScopes.add(scope)
  try {
    return await fn(scope)
  } finally {
    openScopes.delete(scope)
    await scope.close()
  }
}

/** Closes every open scope (on Ctrl-C or a crash). */
export async function closeAllScopes () {
  await Promise.allSettled([...openScopes].map(async (scope) => await scope.close()))
}

// ---------------------------------------------------------------------------------------------
// Polling

/**
 * Calls `check` every `intervalMs` until it returns a value other than undefined/false, and
 * returns it. An error thrown by `check` ends the wait at once; the deadline ends it with a message
 * naming what was awaited (`what`: a string, or a function called then for the latest state).
 */
export async function pollUntil (check, { timeoutMs = 10_000, intervalMs = 25, what = 'a condition' } = {}) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

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
