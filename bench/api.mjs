// Group "api" (issue 2): the read routes of a real API process over the loaded real set.
//   - GET /genes/HGNC:5 under load (autocannon, 50 connections): req/s and p99 latency, beside a
//     bare Fastify constant route on the same machine for reference;
//   - GET /data (every gene, ~31 MB streamed): time to read the whole body and the API process's
//     resident memory growth while it streams.
import { spawn } from 'node:child_process'
import { get as httpGet } from 'node:http'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { freePort, isListening } from '@genejobs/test-support'
import { MB, canSampleRss, measured, notRun, pollUntil, progress, sampleRss, startApi, startStack, withScope } from './lib.mjs'

const GROUP = 'api'
const CONNECTIONS = 50
const WARM_UP_SECONDS = 1
/** The bare Fastify reference runs at most this many times: it is context, not a target. */
const REFERENCE_RUNS = 3
const TARGETS = {
  rps: { op: '>=', value: 20_000 },
  p99: { op: '<=', value: 10 },
  dataMs: { op: '<=', value: 2000 },
  dataRss: { op: '<=', value: 100 }
}

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  if (data.reason !== undefined) {
    return [
      notRun({ group: GROUP, name: 'GET /genes/HGNC:5: throughput', unit: 'req/s', target: TARGETS.rps, reason: data.reason }),
      notRun({ group: GROUP, name: 'GET /genes/HGNC:5: p99 latency', unit: 'ms', target: TARGETS.p99, reason: data.reason }),
      notRun({ group: GROUP, name: 'GET /data: time to read the body', unit: 'ms', target: TARGETS.dataMs, reason: data.reason }),
      notRun({ group: GROUP, name: 'GET /data: API RSS growth', unit: 'MB', target: TARGETS.dataRss, reason: data.reason })
    ]
  }
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { hgncSource: data.path })
    const load = await stack.loadData()
    progress(GROUP, `loaded ${load.loaded} genes`)
    return [
      ...await geneById(stack, settings),
      ...await bareFastify(scope, settings),
      ...await wholeData(scope, stack, settings)
    ]
  })
}

/** One autocannon run; any error, timeout or non-2xx answer makes the measurement void. */
async function cannon (url, durationSeconds) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationSeconds })
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`autocannon on ${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`)
  }
  return { rps: result.requests.average, p99: result.latency.p99 }
}

async function geneById (stack, settings) {
  const url = `${stack.api.baseUrl}/genes/HGNC:5`
  const probe = await stack.request('GET', '/genes/HGNC:5')
  if (probe.status !== 200 || probe.body.hgnc_id !== 'HGNC:5') throw new Error(`GET /genes/HGNC:5 answered ${probe.status}: ${JSON.stringify(probe.body).slice(0, 300)}`)
  // A short untimed run first, so the measured runs see an optimised (JIT-compiled) route.
  await cannon(url, WARM_UP_SECONDS)
  const rps = []
  const p99 = []
  for (let i = 1; i <= settings.runs; i++) {
    const result = await cannon(url, settings.durationSeconds)
    rps.push(result.rps)
    p99.push(result.p99)
    progress(GROUP, `GET /genes/HGNC:5 run ${i}/${settings.runs}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms`)
  }
  const note = `${CONNECTIONS} connections, ${settings.durationSeconds} s per run`
  return [
    measured({ group: GROUP, name: 'GET /genes/HGNC:5: throughput', unit: 'req/s', values: rps, target: TARGETS.rps, note }),
    measured({ group: GROUP, name: 'GET /genes/HGNC:5: p99 latency', unit: 'ms', values: p99, target: TARGETS.p99 })
  ]
}

/** The same load on a bare Fastify constant route in its own process: this machine's ceiling. */
async function bareFastify (scope, settings) {
  const port = await freePort()
  const child = spawn(process.execPath, [fileURLToPath(new URL('./reference-server.mjs', import.meta.url)), String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  child.stderr.on('data', (chunk) => { output += chunk.toString() })
  const exited = new Promise((resolve) => { child.once('exit', resolve) })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  scope.defer(stop)
  await pollUntil(async () => {
    if (child.exitCode !== null) throw new Error(`the reference Fastify server exited: ${output.slice(-1000)}`)
    return await isListening(port)
  }, { timeoutMs: 15_000, intervalMs: 25, what: 'the reference Fastify server to listen' })
  const url = `http://127.0.0.1:${port}/`
  await cannon(url, WARM_UP_SECONDS)
  const runs = Math.min(settings.runs, REFERENCE_RUNS)
  const rps = []
  const p99 = []
  for (let i = 1; i <= runs; i++) {
    const result = await cannon(url, settings.durationSeconds)
    rps.push(result.rps)
    p99.push(result.p99)
    progress(GROUP, `bare Fastify run ${i}/${runs}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms`)
  }
  await stop()
  return [
    measured({ group: GROUP, name: 'reference: bare Fastify constant route', unit: 'req/s', values: rps, note: `${runs} run(s); same autocannon settings` }),
    measured({ group: GROUP, name: 'reference: bare Fastify p99 latency', unit: 'ms', values: p99 })
  ]
}

/**
 * Reads a whole response body, counting its bytes without keeping them. Resolves with the size;
 * rejects on a status other than 200 or a body cut short (the server ends a failed stream early).
 */
async function readWholeBody (url) {
  return await new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        reject(new Error(`GET ${url} answered ${res.statusCode}`))
        return
      }
      let bytes = 0
      let first
      let last
      res.on('data', (chunk) => {
        if (chunk.length === 0) return
        first ??= chunk[0]
        last = chunk[chunk.length - 1]
        bytes += chunk.length
      })
      res.on('end', () => {
        // A JSON array that opens and closes: the stream ran to its end.
        if (first !== 0x5b || last !== 0x5d) reject(new Error(`GET ${url}: the body (${bytes} bytes) is not one whole JSON array`))
        else resolve({ bytes })
      })
      res.on('error', reject)
    })
    req.setTimeout(120_000, () => { req.destroy(new Error(`GET ${url} timed out`)) })
    req.on('error', reject)
  })
}

/** One timed GET /data on `api`, with its resident memory sampled every 20 ms. */
async function timedWholeData (api) {
  const sampler = canSampleRss() ? sampleRss(api.pid, 20) : undefined
  const started = performance.now()
  const { bytes } = await readWholeBody(`${api.baseUrl}/data`)
  const ms = performance.now() - started
  const rss = sampler?.stop()
  return { ms, bytes, growthMb: rss === undefined ? undefined : rss.growth / MB }
}

async function wholeData (scope, stack, settings) {
  const firstMs = []
  const secondMs = []
  const growthMb = []
  let bytes = 0
  for (let i = 1; i <= settings.runs; i++) {
    // A fresh API process each run (over the same Redis): the growth measured is what streaming
    // every gene costs an idle process, not hidden by a heap an earlier request already grew.
    const api = await startApi(scope, stack.env)
    try {
      // One small request first, so the process has served a request before the baseline is taken.
      const res = await fetch(`${api.baseUrl}/genes/HGNC:5`)
      await res.arrayBuffer()
      const first = await timedWholeData(api)
      const second = await timedWholeData(api)
      firstMs.push(first.ms)
      secondMs.push(second.ms)
      if (first.growthMb !== undefined) growthMb.push(first.growthMb)
      bytes = first.bytes
      const growth = first.growthMb === undefined ? '' : `, RSS +${first.growthMb.toFixed(1)} MB`
      progress(GROUP, `GET /data run ${i}/${settings.runs}: ${Math.round(first.ms)} ms${growth}; again ${Math.round(second.ms)} ms`)
    } finally {
      await api.stop()
    }
  }
  const size = `${(bytes / MB).toFixed(1)} MB body; first request of a fresh API process`
  return [
    measured({ group: GROUP, name: 'GET /data: time to read the body', unit: 'ms', values: firstMs, target: TARGETS.dataMs, note: size }),
    measured({ group: GROUP, name: 'GET /data: same, second request', unit: 'ms', values: secondMs }),
    growthMb.length > 0
      ? measured({ group: GROUP, name: 'GET /data: API RSS growth (peak - before)', unit: 'MB', values: growthMb, target: TARGETS.dataRss, note: 'VmRSS sampled every 20 ms' })
      : notRun({ group: GROUP, name: 'GET /data: API RSS growth', unit: 'MB', target: TARGETS.dataRss, status: 'n/a', reason: 'no /proc/<pid>/status on this system' })
  ]
}
