import t from 'tap'
import { ANALYSES } from '@genejobs/analyses'
import { buildTestApp } from '../helper.js'

t.test('GET /analyses lists every analysis of the registry with its request schema', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/analyses' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const { analyses } = res.json() as { analyses: Array<{ name: string, schema: { type: string, properties: Record<string, { description?: string }>, required: string[], additionalProperties: boolean } }> }
  t.same(analyses.map((analysis) => analysis.name), ANALYSES.map((analysis) => analysis.name))
  const timeline = analyses.find((analysis) => analysis.name === 'approval-timeline')
  t.equal(timeline?.schema.type, 'object')
  t.same(timeline?.schema.properties['analysis'], { const: 'approval-timeline', type: 'string' })
  t.match(timeline?.schema.properties['hgnc_id_start']?.description, /first HGNC id/)
  t.ok(timeline?.schema.required.includes('hgnc_id_end'))
  t.equal(timeline?.schema.additionalProperties, false)
  const check = analyses.find((analysis) => analysis.name === 'symbol-check')
  t.match(check?.schema.properties['symbols'], { type: 'array', maxItems: 200_000 })
})

t.test('GET /analyses lists the test analyses only when they are enabled', async (t) => {
  const { app } = await buildTestApp(t, { ENABLE_TEST_ANALYSES: 'true' })
  const names = (await app.inject({ method: 'GET', url: '/analyses' })).json().analyses.map((analysis: { name: string }) => analysis.name)
  t.ok(names.includes('test-throw'), names.join(', '))
  t.ok(names.includes('approval-timeline'))
})

t.test('GET /analyses takes no query parameters', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/analyses?x=1' })
  t.equal(res.statusCode, 200, 'unknown query parameters are ignored, as on other routes without a query schema')
})
