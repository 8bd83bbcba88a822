import t from 'tap'
import { JobQueue } from '@genejobs/jobs-core'
import { createResultRenderer, type ResultRenderer } from '@genejobs/render'
import { buildApp } from '../../src/app.js'
import { buildTestApp, claimJob } from '../helper.js'

// Results as the worker stores them now: the JSON only, its chart a Vega-Lite spec. The API draws
// the other forms when first asked for, keeps them with the result, and draws each once.
let drawings = 0
const draw = createResultRenderer()
const countingRenderer: ResultRenderer = async (result, job, forms) => {
  drawings++
  return await draw(result, job, forms)
}
const { app: loader, redis } = await buildTestApp(t)
const app = await buildApp({ config: redis.config, renderer: countingRenderer })
t.teardown(async () => { await app.close() })
await app.ready()
await loader.inject({ method: 'POST', url: '/data' })
const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: { stalledAfterMs: 60_000, maxAttempts: 1, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 } })

const chart = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'Inputs per match type',
  mark: 'bar',
  data: { values: [{ match_type: 'approved', inputs: 2 }, { match_type: 'not-found', inputs: 1 }] },
  encoding: { x: { field: 'match_type', type: 'nominal' }, y: { field: 'inputs', type: 'quantitative' } }
}
const result = { summary: { inputs: 3 }, rows: [{ input: 'BRCA1', match_type: 'approved', symbol: 'BRCA1' }], chart }

/** A symbol-check job completed the way a worker completes it: its JSON only. */
async function completedJob (): Promise<string> {
  const submitted = await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'symbol-check', symbols: ['BRCA1'] } })
  const { id } = submitted.json() as { id: string }
  await claimJob(app, queue, id)
  if (!await app.jobs.complete({ id, attempts: 1 }, 'test-worker', { json: JSON.stringify(result) })) throw new Error(`job ${id} was not completed`)
  return id
}

t.test('SVG, PNG, CSV and TSV are drawn on first request and kept with the result, its TTL unchanged', async (t) => {
  const id = await completedJob()
  const key = redis.keys.results.result(id)
  t.same(await app.results.forms(id), ['json'], 'only the JSON before anyone asks')
  const ttlBefore = await redis.stores.results.pTTL(key)
  const before = drawings

  const svg = await app.inject({ method: 'GET', url: `/results/${id}?format=svg` })
  t.equal(svg.statusCode, 200)
  t.match(svg.body, /^<svg[^>]*>/)
  t.match(svg.body, /Inputs per match type/, 'the SVG draws the stored spec')
  t.equal(svg.headers['cross-origin-opener-policy'], 'same-origin', 'an SVG is a document: every helmet header')
  const png = await app.inject({ method: 'GET', url: `/results/${id}?format=png` })
  t.equal(png.statusCode, 200)
  t.same(png.rawPayload.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a PNG')
  t.equal(png.headers['cross-origin-opener-policy'], undefined, 'a PNG is no document')
  const csv = await app.inject({ method: 'GET', url: `/results/${id}?format=csv` })
  t.equal(csv.body.split('\r\n')[0], 'Input,Match type,Approved symbol,Approved name,HGNC ID,Location', 'in the columns symbol-check declares')
  t.equal(drawings - before, 3, 'three drawings: SVG, PNG, CSV')

  t.same((await app.results.forms(id)).sort(), ['csv', 'json', 'png', 'svg'], 'the drawn forms are kept')
  const ttlAfter = await redis.stores.results.pTTL(key)
  t.ok(ttlAfter > 0 && ttlAfter <= ttlBefore, `the TTL was not reset (${ttlBefore} -> ${ttlAfter} ms)`)
  const again = await app.inject({ method: 'GET', url: `/results/${id}?format=png` })
  t.ok(again.rawPayload.equals(png.rawPayload), 'a repeat is served from the stored PNG, byte for byte')
  t.equal(drawings - before, 3, 'and draws nothing')
})

t.test('concurrent first requests for one form share one drawing', async (t) => {
  const id = await completedJob()
  const before = drawings
  const answers = await Promise.all(Array.from({ length: 8 }, async () => await app.inject({ method: 'GET', url: `/results/${id}?format=png` })))
  t.same(answers.map((res) => res.statusCode), Array(8).fill(200))
  t.ok(answers.every((res) => res.rawPayload.equals(answers[0]?.rawPayload ?? Buffer.alloc(0))), 'the same PNG for all')
  t.equal(drawings - before, 1, 'one drawing for eight requests')
})

t.test('a result that expires while its form is drawn is not brought back', async (t) => {
  const id = await completedJob()
  const key = redis.keys.results.result(id)
  await redis.stores.results.del(key)
  t.equal(await app.results.addForms(id, { svg: '<svg/>' }), false, 'addForms refuses')
  t.equal(await redis.stores.results.exists(key), 0, 'no key without a TTL left behind')
  // The finished job is one key: it expired whole.
  const res = await app.inject({ method: 'GET', url: `/results/${id}?format=svg` })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, `no job with id ${id}`)
})
