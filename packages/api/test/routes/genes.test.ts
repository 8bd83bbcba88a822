import t from 'tap'
import { buildTestApp } from '../helper.js'

const { app } = await buildTestApp(t)
await app.inject({ method: 'POST', url: '/data' })

t.test('GET /genes lists every hgnc_id in source order', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/genes' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), ['HGNC:5', 'HGNC:37133', 'HGNC:1', 'HGNC:7', 'HGNC:8', 'HGNC:1100', 'HGNC:7421', 'HGNC:30000'])
})

t.test('GET /genes/:hgnc_id accepts HGNC:5, hgnc:5 and 5', async (t) => {
  const bodies = new Set<string>()
  for (const id of ['HGNC:5', 'hgnc:5', '5', 'HGNC%3A5']) {
    const res = await app.inject({ method: 'GET', url: `/genes/${id}` })
    t.equal(res.statusCode, 200, id)
    bodies.add(res.body)
  }
  t.equal(bodies.size, 1)
  const gene = JSON.parse([...bodies][0] ?? '{}') as Record<string, unknown>
  t.equal(gene['symbol'], 'A1BG')
  t.equal(gene['name'], 'alpha-1-B glycoprotein')
})

t.test('GET /genes/:hgnc_id returns the record byte for byte, 64-bit _version_ included', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/genes/HGNC:37133' })
  t.match(res.body, /,"_version_":9007199254740993}$/)
  t.equal(res.body, await app.genes.get('HGNC:37133'))
})

t.test('an unknown id and a malformed id are both 404 JSON errors', async (t) => {
  const unknown = await app.inject({ method: 'GET', url: '/genes/HGNC:424242' })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { statusCode: 404, error: 'Not Found', message: 'no gene with id HGNC:424242' })
  for (const bad of ['HGNC:0', 'HGNC:abc', 'ENSG00000121410', '-5', 'HGNC:', '1234567890', 'HGNC:05']) {
    const res = await app.inject({ method: 'GET', url: `/genes/${bad}` })
    t.equal(res.statusCode, 404, bad)
    t.equal(res.json().error, 'Not Found')
    t.match(res.json().message, /hgnc_id/, `${bad}: the message names the parameter`)
  }
})

t.test('GET /symbols/:symbol finds approved, previous and alias matches', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/symbols/a2mp' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    query: 'a2mp',
    matches: [
      { match: 'previous', hgnc_id: 'HGNC:8', symbol: 'A2MP1', name: 'alpha-2-macroglobulin pseudogene 1' },
      { match: 'alias', hgnc_id: 'HGNC:30000', symbol: 'SHARED1', name: "a gene whose alias is another gene's previous symbol" }
    ]
  })
  t.same((await app.inject({ method: 'GET', url: '/symbols/Brca1' })).json().matches[0], { match: 'approved', hgnc_id: 'HGNC:1100', symbol: 'BRCA1', name: 'BRCA1, DNA repair associated' })
  t.same((await app.inject({ method: 'GET', url: '/symbols/NOPE' })).json(), { query: 'NOPE', matches: [] })
  const tooLong = await app.inject({ method: 'GET', url: `/symbols/${'A'.repeat(65)}` })
  t.equal(tooLong.statusCode, 404)
  t.match(tooLong.json().message, /symbol/)
})

t.test('GET /health reports Redis and the gene count', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', redis: 'up', genes: 8 })
})

t.test('unknown routes and methods answer a JSON 404, never HTML', async (t) => {
  for (const [method, url] of [['GET', '/nope'], ['PUT', '/genes'], ['GET', '/genes/HGNC:5/extra']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404)
    t.match(res.headers['content-type'], /^application\/json/)
    t.same(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode'])
  }
})
