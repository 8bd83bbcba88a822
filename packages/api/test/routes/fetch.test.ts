import t from 'tap'
import { FETCH_FIELDS } from '@genejobs/jobs-core'
import { buildTestApp } from '../helper.js'

t.test('GET /fetch lists the fields', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/fetch' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { fields: [...FETCH_FIELDS] })
  t.ok(res.json().fields.includes('ensembl_gene_id'))
})

t.test('GET /fetch/:field/:value answers every gene with the value, records exact', async (t) => {
  const { app, redis } = await buildTestApp(t)
  const none = await app.inject({ method: 'GET', url: '/fetch/symbol/BRCA1' })
  t.equal(none.statusCode, 404, 'nothing loaded')
  await app.inject({ method: 'POST', url: '/data' })
  const res = await app.inject({ method: 'GET', url: '/fetch/symbol/brca1' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const record = (await app.inject({ method: 'GET', url: '/genes/HGNC:1100' })).body
  t.equal(res.body, `{"total":1,"genes":[${record}]}`, 'the record byte for byte')
  t.same(res.json().genes.map((g: { symbol: string }) => g.symbol), ['BRCA1'])
  const status = await app.inject({ method: 'GET', url: '/fetch/prev_symbol/A2MP' })
  t.same(status.json().genes.map((g: { symbol: string }) => g.symbol), ['A2MP1'])
  t.same((await app.inject({ method: 'GET', url: '/fetch/entrez_id/999' })).json(), { total: 0, genes: [] })
  t.same((await app.inject({ method: 'GET', url: '/fetch/prev_symbol/NCRNA%2000181' })).json(), { total: 0, genes: [] }, 'an encoded value is decoded')
  const before = await redis.snapshot()
  const unknown = await app.inject({ method: 'GET', url: '/fetch/status/Approved' })
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json().message, /^params\/field must be one of: "hgnc_id", "symbol", "prev_symbol", .*"ensembl_gene_id"/)
  t.same(await redis.snapshot(), before, 'nothing changed')
  const long = await app.inject({ method: 'GET', url: `/fetch/symbol/${'A'.repeat(101)}` })
  t.equal(long.statusCode, 414, 'a value past 100 characters: Fastify\'s own URI Too Long')
})
