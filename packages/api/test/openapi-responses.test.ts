// Real responses match the OpenAPI document: a representative set of requests on every route
// (successes and errors, before and after the fixture data is loaded, with Redis out of memory and
// with Redis down), each answer checked against the status, media type and schema the document
// declares for it.
import { execFileSync } from 'node:child_process'
import t, { type Test } from 'tap'
import type { OpenAPIV3_1 as OpenApi } from 'openapi-types'
import { analysesByName, runAnalysis } from '@genejobs/analyses'
import { JobQueue } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { buildTestApp, claimJob } from './helper.js'
import { Conformance } from './openapi-conformance.js'

const TOKEN = 'openapi-responses-admin-token'
const admin = { authorization: `Bearer ${TOKEN}` }
const { app, redis } = await buildTestApp(t, { API_ADMIN_TOKEN: TOKEN, RATE_LIMIT_HEAVY_PER_MINUTE: '60', RATE_LIMIT_JOBS_PER_MINUTE: '30' })
const conformance = new Conformance(app, (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi.Document)
const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: { stalledAfterMs: 60_000, maxAttempts: 1, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 } })
const UNKNOWN_JOB = '00000000-0000-4000-8000-000000000000'

/** Checks each request's answer against the document, and that it has the status expected. */
async function expect (t: Test, cases: Array<[number, Parameters<Conformance['check']>[1]]>): Promise<void> {
  for (const [status, request] of cases) {
    const res = await conformance.check(t, request)
    t.equal(res.statusCode, status, `${request.method ?? 'GET'} ${request.url.slice(0, 80)}: ${res.body.slice(0, 160)}`)
  }
}

/** Submits a job and plays the worker: runs the real analysis on the loaded data and stores its result. */
async function completedJob (body: Record<string, unknown>): Promise<string> {
  const submitted = await app.inject({ method: 'POST', url: '/jobs', payload: body })
  const { id, analysis } = submitted.json() as { id: string, analysis: string }
  await claimJob(app, queue, id)
  const job = await app.jobs.get(id)
  const result = await runAnalysis(analysesByName(false).get(analysis) as never, job?.params ?? {}, { genes: app.genes, log: app.log, progress: async () => {} })
  const forms = { json: JSON.stringify(result), csv: 'a,b\r\n1,2\r\n', tsv: 'a\tb\n1\t2\n', svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', png: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }
  if (!await app.jobs.complete({ id, attempts: 1 }, 'test-worker', forms)) throw new Error(`job ${id} was not completed`)
  return id
}

t.test('before any data is loaded', async (t) => {
  await expect(t, [
    [200, { url: '/health' }],
    [200, { url: '/health/live' }],
    [200, { url: '/health/ready' }],
    [200, { url: '/metrics' }],
    [200, { url: '/data' }],
    [404, { url: '/data?limit=2' }],
    [404, { url: '/data/info' }],
    [200, { url: '/genes' }],
    [404, { url: '/genes?status=Approved' }],
    [404, { url: '/genes/HGNC:5' }],
    [404, { url: '/symbols/A1BG' }],
    [200, { url: '/fetch' }],
    [404, { url: '/fetch/symbol/A1BG' }],
    [404, { url: '/search?q=A1BG' }],
    [409, { method: 'POST', url: '/jobs', payload: { hgnc_id_start: 1, hgnc_id_end: 10 } }],
    [200, { url: '/jobs' }],
    [200, { method: 'DELETE', url: '/data', headers: admin }]
  ])
})

t.test('the admin routes', async (t) => {
  await expect(t, [
    [401, { method: 'POST', url: '/data' }],
    [401, { method: 'POST', url: '/data', headers: { authorization: 'Basic abc' } }],
    [403, { method: 'POST', url: '/data', headers: { authorization: 'Bearer wrong' } }],
    [400, { method: 'POST', url: '/data', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"unclosed' }],
    [415, { method: 'POST', url: '/data', headers: { ...admin, 'content-type': 'text/plain' }, payload: 'x' }],
    [413, { method: 'POST', url: '/data', headers: admin, payload: { pad: 'x'.repeat(2_000_000) } }],
    [201, { method: 'POST', url: '/data', headers: admin }],
    [401, { method: 'DELETE', url: '/data' }]
  ])
})

t.test('gene routes, with the fixture data loaded', async (t) => {
  await expect(t, [
    [200, { url: '/health' }],
    [200, { url: '/data' }],
    [200, { url: '/data?status=Approved&limit=3' }],
    [400, { url: '/data?cursor=not-a-cursor&limit=3' }],
    [400, { url: '/data?colour=red' }],
    [200, { url: '/data/info' }],
    [200, { url: '/genes' }],
    [200, { url: '/genes?chromosome=19&limit=1' }],
    [400, { url: '/genes?limit=0x10' }],
    [200, { url: '/genes/HGNC:5' }],
    [200, { url: '/genes/1100' }],
    [404, { url: '/genes/HGNC:999999' }],
    [404, { url: '/genes/BRCA1' }],
    [414, { url: `/genes/${'9'.repeat(120)}` }],
    [200, { url: '/symbols/brca1' }],
    [200, { url: '/symbols/NCRNA00181' }],
    [200, { url: '/symbols/NOSUCHGENE' }],
    [404, { url: '/symbols/a%20b' }],
    [200, { url: '/fetch/symbol/A1BG' }],
    [200, { url: '/fetch/prev_symbol/mtnd1' }],
    [200, { url: '/fetch/entrez_id/999' }],
    [400, { url: '/fetch/colour/red' }],
    [200, { url: '/search?q=A1BG' }],
    [200, { url: '/search?q=A2M*&limit=1&offset=1' }],
    [400, { url: '/search' }],
    [400, { url: '/search?q=A&limit=1000' }],
    [415, { url: '/genes/HGNC:5', headers: { 'content-encoding': 'gzip' } }],
    [200, { url: '/openapi.json' }],
    [200, { url: '/openapi.yaml' }]
  ])
})

t.test('jobs and results', async (t) => {
  const done = await completedJob({ analysis: 'symbol-check', symbols: ['BRCA1', 'MTND1', 'nope'] })
  const timeline = await completedJob({ hgnc_id_start: 1, hgnc_id_end: 40000 })
  const pending = (await conformance.check(t, { method: 'POST', url: '/jobs', payload: { analysis: 'chromosomes', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:10' } })).json() as { id: string }
  const failed = (await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'locus-types', hgnc_id_start: 1, hgnc_id_end: 2 } })).json() as { id: string }
  await claimJob(app, queue, failed.id)
  await app.jobs.finishWithError({ id: failed.id, attempts: 1 }, 'test-worker', 'the worker gave up', false)
  await expect(t, [
    [400, { method: 'POST', url: '/jobs', payload: { analysis: 'symbol-check', symbols: [] } }],
    [400, { method: 'POST', url: '/jobs', payload: { analysis: 'no-such-analysis' } }],
    [400, { method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json' }, payload: '[1,' }],
    [413, { method: 'POST', url: '/jobs', payload: { analysis: 'symbol-check', symbols: Array.from({ length: 200_000 }, (_, i) => `S${i}`) } }],
    [415, { method: 'POST', url: '/jobs', headers: { 'content-type': 'text/csv' }, payload: 'BRCA1' }],
    [200, { url: '/jobs' }],
    [200, { url: '/jobs?status=complete&limit=5' }],
    [400, { url: '/jobs?limit=0' }],
    [200, { url: `/jobs/${done}` }],
    [200, { url: `/jobs/${pending.id}` }],
    [200, { url: `/jobs/${failed.id}` }],
    [404, { url: `/jobs/${UNKNOWN_JOB}` }],
    [404, { url: '/jobs/not-a-uuid' }],
    [200, { url: `/results/${done}` }],
    [200, { url: `/results/${timeline}` }],
    [200, { url: `/results/${done}?format=vega-lite` }],
    [200, { url: `/results/${done}`, headers: { accept: 'text/csv' } }],
    [200, { url: `/results/${done}?format=tsv` }],
    [200, { url: `/results/${done}?format=svg` }],
    [200, { url: `/results/${done}?format=png` }],
    [202, { url: `/results/${pending.id}` }],
    [409, { url: `/results/${failed.id}` }],
    [404, { url: `/results/${UNKNOWN_JOB}` }],
    [400, { url: `/results/${done}?format=pdf` }],
    [406, { url: `/results/${done}`, headers: { accept: 'text/html' } }]
  ])
})

t.test('job events, the queue and retrying a failed job', async (t) => {
  const done = await completedJob({ hgnc_id_start: 1, hgnc_id_end: 10 })
  const failed = (await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'locus-types', hgnc_id_start: 1, hgnc_id_end: 2 } })).json() as { id: string }
  await claimJob(app, queue, failed.id)
  await app.jobs.finishWithError({ id: failed.id, attempts: 1 }, 'test-worker', 'the worker gave up', false)
  await queue.heartbeat('openapi-worker')
  await expect(t, [
    [200, { url: `/jobs/${done}/events` }],
    [200, { url: `/jobs/${failed.id}/events` }],
    [404, { url: `/jobs/${UNKNOWN_JOB}/events` }],
    [404, { url: '/jobs/not-a-uuid/events' }],
    [200, { url: '/queue' }],
    [401, { method: 'POST', url: `/jobs/${failed.id}/retry` }],
    [403, { method: 'POST', url: `/jobs/${failed.id}/retry`, headers: { authorization: 'Bearer wrong-token' } }],
    [404, { method: 'POST', url: `/jobs/${UNKNOWN_JOB}/retry`, headers: admin }],
    [200, { method: 'POST', url: `/jobs/${failed.id}/retry`, headers: admin }],
    [409, { method: 'POST', url: `/jobs/${failed.id}/retry`, headers: admin }]
  ])
})

t.test('the analyses list and the dashboard', async (t) => {
  const page = await app.inject({ method: 'GET', url: '/' })
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1] ?? ''
  const style = /href="(\/assets\/[^"]+\.css)"/.exec(page.body)?.[1] ?? ''
  await expect(t, [
    [200, { url: '/analyses' }],
    [200, { url: '/' }],
    [200, { url: script }],
    [200, { url: style }],
    [404, { url: '/assets/nope.js' }],
    [404, { url: '/assets/..%2Fpackage.json' }]
  ])
})

t.test('over a rate limit: 429', async (t) => {
  let res: Awaited<ReturnType<Conformance['check']>> | undefined
  for (let i = 0; i < 100 && res?.statusCode !== 429; i++) res = await conformance.check(t, { url: '/genes?limit=1' })
  t.equal(res?.statusCode, 429)
  await expect(t, [[429, { url: '/data' }]])
  res = undefined
  for (let i = 0; i < 100 && res?.statusCode !== 429; i++) res = await conformance.check(t, { method: 'POST', url: '/jobs', payload: { analysis: 'symbol-check', symbols: ['A1BG'] } })
  await expect(t, [[429, { method: 'POST', url: '/jobs', payload: { analysis: 'symbol-check', symbols: ['A1BG'] } }]])
})

t.test('Redis out of memory: 507 on writes, reads still answer', async (t) => {
  execFileSync('redis-cli', ['-p', String(redis.server.port), 'config', 'set', 'maxmemory', '1'])
  t.teardown(() => { execFileSync('redis-cli', ['-p', String(redis.server.port), 'config', 'set', 'maxmemory', '0']) })
  await expect(t, [
    [507, { method: 'POST', url: '/data', headers: admin }],
    [507, { method: 'DELETE', url: '/data', headers: admin }],
    [200, { url: '/health' }],
    [200, { url: '/genes/HGNC:5' }],
    [200, { url: '/search?q=BRCA1' }]
  ])
})

t.test('Redis down: 503 wherever Redis is needed', async (t) => {
  await redis.server.kill()
  // Until a client sees its socket close, a gene read may still come from the API's cache (kept
  // true by Redis while connected, emptied on disconnect): wait for every client to notice.
  await waitFor(() => !app.stores.isReady(), { what: 'the API to notice Redis is gone' })
  await expect(t, [
    [503, { url: '/health' }],
    [503, { url: '/health/ready' }],
    [200, { url: '/health/live' }],
    [200, { url: '/metrics' }],
    [503, { url: '/data/info' }],
    [503, { url: '/genes/HGNC:5' }],
    [503, { url: '/symbols/A1BG' }],
    [503, { url: '/fetch/symbol/A1BG' }],
    [503, { url: '/search?q=A1BG' }],
    [503, { url: '/jobs' }],
    [503, { url: `/jobs/${UNKNOWN_JOB}` }],
    [503, { url: `/results/${UNKNOWN_JOB}` }],
    [503, { url: `/jobs/${UNKNOWN_JOB}/events` }],
    [503, { url: '/queue' }],
    [503, { method: 'DELETE', url: '/data', headers: admin }],
    [200, { url: '/fetch' }],
    [200, { url: '/openapi.json' }]
  ])
})

t.test('every operation of the document was exercised', async (t) => {
  const operations = Object.entries(conformance.document.paths ?? {}).flatMap(([path, item]) => Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`))
  for (const operation of operations) t.ok([...conformance.seen].some((seen) => seen.startsWith(`${operation} `)), `${operation} was checked`)
})
