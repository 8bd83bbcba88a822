import t from 'tap'
import { fixturePath, startTestRedis } from '@genejobs/test-support'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource } from '../../src/hgnc/hgnc-reader.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const store = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
const FIXTURE = fixturePath('genes.json')

const brief = async (query: string, offset?: number, limit?: number) => {
  const page = await store.search(query, offset, limit)
  return { total: page.total, hits: page.hits.map((hit) => `${hit.symbol} ${hit.match} ${hit.matched}`) }
}

t.test('nothing loaded: NO_DATA', async (t) => {
  await t.rejects(store.search('brca1'), { code: 'NO_DATA' })
})

t.test('search ranks exact symbols, then previous/alias, prefixes, name words, ids', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const brca1 = await store.search('brca1')
  t.same(brca1.hits[0], { hgnc_id: 'HGNC:1100', symbol: 'BRCA1', name: 'BRCA1, DNA repair associated', status: 'Approved', match: 'symbol', matched: 'BRCA1' })
  t.same(await brief('BRCA1'), { total: 1, hits: ['BRCA1 symbol BRCA1'] }, 'the name word BRCA1 is the same gene, listed once')
  t.same(await brief('a2mp'), { total: 2, hits: ['A2MP1 previous A2MP', 'SHARED1 alias A2MP'] }, 'previous before alias')
  t.same(await brief('a12m1'), { total: 1, hits: ['A12M1 symbol A12M1'] }, 'a withdrawn entry')
  t.same(await brief('a1bg*'), { total: 2, hits: ['A1BG symbol A1BG', 'A1BG-AS1 symbol A1BG-AS1'] }, 'prefix')
  t.same(await brief('a1bg'), { total: 2, hits: ['A1BG symbol A1BG', 'A1BG-AS1 name A1BG antisense RNA 1'] }, 'no prefix without *: a name word')
  t.same(await brief('ncrna*'), { total: 1, hits: ['A1BG-AS1 previous NCRNA00181'] })
  t.same(await brief('Breast Cancer'), { total: 1, hits: ['BRCA1 name breast cancer 1, early onset'] }, 'every word, in a previous name')
  t.same(await brief('breast glycoprotein'), { total: 0, hits: [] }, 'all words must match')
  t.same(await brief('HGNC:7'), { total: 1, hits: ['A2M id HGNC:7'] })
  t.same(await brief('2001474'), { total: 1, hits: ['A2M pubmed_id 2001474'] })
  t.same(await brief('1'), {
    total: 5,
    hits: ['A1BG name alpha-1-B glycoprotein', 'A1BG-AS1 name A1BG antisense RNA 1', 'A2MP1 name alpha-2-macroglobulin pseudogene 1', 'BRCA1 name breast cancer 1, early onset', 'MT-ND1 name mitochondrially encoded NADH dehydrogenase 1']
  }, 'name words before cross-references: A1BG (entrez_id 1) is listed once, under its better match')
})

t.test('offset and limit page through the ranked hits; total counts them all', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const all = await brief('a*')
  t.equal(all.total, 6)
  t.same(await brief('a*', 1, 2), { total: 6, hits: all.hits.slice(1, 3) })
  t.same(await brief('a*', 10, 2), { total: 6, hits: [] })
})
