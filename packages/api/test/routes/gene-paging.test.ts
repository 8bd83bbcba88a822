import t from 'tap'
import { buildTestApp } from '../helper.js'

t.test('GET /genes and GET /data: filters and paging in headers; no parameters is unchanged', async (t) => {
  const { app, redis } = await buildTestApp(t)
  await app.inject({ method: 'POST', url: '/data' })
  const plain = await app.inject({ method: 'GET', url: '/genes' })
  t.same(plain.json(), ['HGNC:5', 'HGNC:37133', 'HGNC:1', 'HGNC:7', 'HGNC:8', 'HGNC:1100', 'HGNC:7421', 'HGNC:30000'])
  t.equal(plain.headers['x-total-count'], undefined, 'no paging headers without parameters')
  t.equal(plain.headers.link, undefined)

  const chr19 = await app.inject({ method: 'GET', url: '/genes?chromosome=19' })
  t.same(chr19.json(), ['HGNC:5', 'HGNC:37133'])
  t.equal(chr19.headers['x-total-count'], '2')
  t.equal(chr19.headers.link, undefined, 'no next page without a limit')
  t.same((await app.inject({ method: 'GET', url: '/genes?status=approved&locus_group=Protein-coding%20gene' })).json(), ['HGNC:5', 'HGNC:7', 'HGNC:1100', 'HGNC:7421'], 'filters intersect, case-insensitively')
  t.same((await app.inject({ method: 'GET', url: '/genes?chromosome=MT&status=Entry%20Withdrawn' })).json(), [])

  // Paging: follow the Link headers to the end.
  const seen: string[] = []
  let url: string | undefined = '/genes?status=Approved&limit=3'
  const totals: string[] = []
  while (url !== undefined) {
    const page: Awaited<ReturnType<typeof app.inject>> = await app.inject({ method: 'GET', url })
    t.equal(page.statusCode, 200)
    seen.push(...page.json() as string[])
    totals.push(String(page.headers['x-total-count']))
    url = /^<([^>]+)>; rel="next"$/.exec(String(page.headers.link ?? ''))?.[1]
  }
  t.same(seen, ['HGNC:5', 'HGNC:37133', 'HGNC:7', 'HGNC:8', 'HGNC:1100', 'HGNC:7421', 'HGNC:30000'])
  t.same(totals, ['7', '7', '7'])
  const unfiltered = await app.inject({ method: 'GET', url: '/genes?limit=5' })
  t.same(unfiltered.json(), plain.json().slice(0, 5))
  t.match(unfiltered.headers.link, /^<\/genes\?limit=5&cursor=[a-z0-9]+-[a-f0-9]{8}\.5>; rel="next"$/)

  // GET /data: the same selection, records exact as sourced.
  const records = await app.inject({ method: 'GET', url: '/data?locus_group=protein-coding%20gene&chromosome=17' })
  t.equal(records.headers['x-total-count'], '1')
  t.equal(records.body, `[${(await app.inject({ method: 'GET', url: '/genes/HGNC:1100' })).body}]`)
  const dataPage = await app.inject({ method: 'GET', url: '/data?limit=2' })
  t.same(dataPage.json().map((g: { hgnc_id: string }) => g.hgnc_id), ['HGNC:5', 'HGNC:37133'])
  t.match(dataPage.headers.link, /^<\/data\?limit=2&cursor=/)

  const before = await redis.snapshot()
  for (const bad of ['/genes?cursor=nonsense', '/data?cursor=abc-12345678.1', '/genes?limit=0', '/genes?colour=red', '/data?status=']) {
    const res = await app.inject({ method: 'GET', url: bad })
    t.equal(res.statusCode, 400, bad)
  }
  t.same(await redis.snapshot(), before, 'bad queries change nothing')
})
