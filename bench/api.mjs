// Group "api" (issues 2, 13, 15): the read routes of a real API process over the loaded real set.
//   - under load (autocannon, 50 connections): GET /genes/HGNC:5, GET /search?q=brca* and
//     GET /fetch/ensembl_gene_id/<BRCA1's id>, and the peer they are compared with, a bare Fastify
//     constant route in its own process; each run measures all four one after the other, so a
//     machine that slows down in the middle slows every route alike;
//   - GET /data (every gene, ~31 MB streamed): time to read the whole body and the API process's
//     resident memory growth while it streams.
import { spawn } from 'node:child_process'
import { get as httpGet } from 'node:http'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { freePort, isListening } from '@genejobs/test-support'
import { MB, measured, notRun, pollUntil, progress, withScope } from './lib.mjs'
import { canSampleRss, sampleRss, startApi, startStack } from './services.mjs'

const GROUP = 'api'
const CONNECTIONS = 50
const WARM_UP_SECONDS = 1
/** BRCA1's Ensembl gene id (issue 13's example). */
const ENSEMBL_ID = 'ENSG00000012048'
const TARGETS = {
  dataMs: { op: '<=', value: 2000 },
  dataRss: { op: '<=', value: 100 }
}

/**
 * The routes measured under load: a row id, a label, the path, the targets (issue 2 for
 * /genes/:id, issue 13 for search and fetch) and a check of one answer's body, so a route that
 * answers wrongly is an error rather than a fast number.
 */
const ROUTES = [
  {
    id: 'api.genes',
    label: 'GET /genes/HGNC:5',
    path: '/genes/HGNC:5',
    rps: { op: '>=', value: 20_000 },
    p99: { op: '<=', value: 10 },
    check: (body) => body?.hgnc_id === 'HGNC:5'
  },
  {
    id: 'api.search',
    label: 'GET /search?q=brca*',
    path: '/search?q=brca*',
    rps: { op: '>=', value: 10_000 },
    p99: { op: '<=', value: 10 },
    check: (body) => body?.total > 0 && body.hits?.some((hit) => hit.symbol === 'BRCA1')
  },
  {
    id: 'api.fetch',
    label: `GET /fetch/ensembl_gene_id/${ENSEMBL_ID}`,
    path: `/fetch/ensembl_gene_id/${ENSEMBL_ID}`,
    rps: { op: '>=', value: 10_000 },
    p99: { op: '<=', value: 10 },
    check: (body) => body?.total === 1 && body.genes?.[0]?.symbol === 'BRCA1'
  }
]

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  if (data.reason !== undefined) {
    return [
      ...ROUTES.flatMap((route) => [
        notRun({ id: `${route.id}.rps`, group: GROUP, name: `${route.label}: throughput`, unit: 'req/s', target: route.rps, reason: data.reason }),
        notRun({ id: `${route.id}.p99`, group: GROUP, name: `${route.label}: p99 latency`, unit: 'ms', target: route.p99, reason: data.reason })
      ]),
      notRun({ group: GROUP, name: 'GET /data: time to read the body', unit: 'ms', target: TARGETS.dataMs, reason: data.reason }),
      notRun({ group: GROUP, name: 'GET /data: API RSS growth', unit: 'MB', target: TARGETS.dataRss, reason: data.reason })
    ]
  }
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { hgncSource: data.path })
    const load = await stack.loadData()
    progress(GROUP, `loaded ${load.loaded} genes`)
    return [
      ...await underLoad(scope, stack, settings),
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

/** The genejobs routes and the bare Fastify peer, each run once per round, `settings.runs` rounds. */
async function underLoad (scope, stack, settings) {
  for (const route of ROUTES) {
    const probe = await stack.request('GET', route.path)
    if (probe.status !== 200 || !route.check(probe.body)) throw new Error(`GET ${route.path} answered ${probe.status}: ${JSON.stringify(probe.body).slice(0, 300)}`)
  }
  const reference = await startReference(scope)
  const targets = [
    ...ROUTES.map((route) => ({ ...route, url: stack.api.baseUrl + route.path })),
    { id: 'api.fastify', label: 'peer: bare Fastify constant route', url: reference.url }
  ]
  // A short untimed run of each first, so the measured runs see optimised (JIT-compiled) code.
  for (const target of targets) await cannon(target.url, WARM_UP_SECONDS)
  const results = new Map(targets.map((target) => [target.id, { rps: [], p99: [] }]))
  for (let i = 1; i <= settings.runs; i++) {
    for (const target of targets) {
      const result = await cannon(target.url, settings.durationSeconds)
      results.get(target.id).rps.push(result.rps)
      results.get(target.id).p99.push(result.p99)
      progress(GROUP, `${target.label} run ${i}/${settings.runs}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms`)
    }
  }
  await reference.stop()
  const note = `${CONNECTIONS} connections, ${settings.durationSeconds} s per run`
  return targets.flatMap((target) => [
    measured({ id: `${target.id}.rps`, group: GROUP, name: `${target.label}: throughput`, unit: 'req/s', values: results.get(target.id).rps, target: target.rps, note }),
    measured({ id: `${target.id}.p99`, group: GROUP, name: `${target.label}: p99 latency`, unit: 'ms', values: results.get(target.id).p99, target: target.p99 })
  ])
}

/** Starts reference-server.mjs (a bare Fastify constant route) in its own process. */
async function startReference (scope) {
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
  return { url: `http://127.0.0.1:${port}/`, stop }
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
