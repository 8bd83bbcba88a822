import t from 'tap'
import { buildTestApp } from '../helper.js'

t.test('GET /search answers ranked hits with total; bad queries are 400 and change nothing', async (t) => {
  const { app, redis } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/search?q=brca1' })).statusCode, 404, 'nothing loaded')
  await app.inject({ method: 'POST', url: '/data' })
  const res = await app.inject({ method: 'GET', url: '/search?q=brca1' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { total: 1, hits: [{ hgnc_id: 'HGNC:1100', symbol: 'BRCA1', name: 'BRCA1, DNA repair associated', status: 'Approved', match: 'symbol', matched: 'BRCA1' }] })
  const paged = await app.inject({ method: 'GET', url: '/search?q=A*&limit=2&offset=1' })
  t.equal(paged.json().total, 6)
  t.equal(paged.json().hits.length, 2)
  t.same((await app.inject({ method: 'GET', url: '/search?q=breast%20cancer' })).json().hits.map((h: { symbol: string }) => h.symbol), ['BRCA1'])
  const before = await redis.snapshot()
  for (const [url, message] of [
    ['/search', 'querystring/q is required'],
    ['/search?q=*', 'querystring/q must be'],
    ['/search?q=a&limit=0', 'querystring/limit must be'],
    ['/search?q=a&limit=101', 'querystring/limit must be'],
    ['/search?q=a&offset=-1', 'querystring/offset must be'],
    ['/search?q=a&other=1', 'querystring/other']
  ] as const) {
    const bad = await app.inject({ method: 'GET', url })
    t.equal(bad.statusCode, 400, url)
    t.match(bad.json().message, message, url)
  }
  t.same(await redis.snapshot(), before)
})
