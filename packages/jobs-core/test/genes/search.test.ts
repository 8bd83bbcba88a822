import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { fixturePath, startTestRedis } from '@genejobs/test-support'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource } from '../../src/hgnc/hgnc-reader.js'
import { createStores } from '../../src/redis.js'

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

t.test('a process that caches gene reads builds each hit once per data version', async (t) => {
  const cached = createStores(redis.config.redis, redis.config.databases, 'test-search-hits', undefined, { geneCacheEntries: 100 })
  await cached.connect()
  t.teardown(async () => { await cached.close() })
  const memoized = new GeneStore({ client: cached.genes, keys: redis.keys, ...(cached.cachedGenes !== undefined ? { cachedReads: cached.cachedGenes } : {}) })
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const first = await memoized.search('HGNC:7')
  t.same(first, await store.search('HGNC:7'), 'the same page as a process without the memo')
  t.equal(first.hits[0]?.name, 'alpha-2-macroglobulin')

  // A2M's record taken out of the version behind the process's back: the repeat search still shows
  // the hit, so it read no record; a process without the memo finds none.
  const version = await store.currentVersion()
  await redis.stores.genes.hDel(redis.keys.genes.records(version ?? ''), '7')
  t.same(await memoized.search('HGNC:7'), first, 'the repeat search read no record')
  t.same((await store.search('HGNC:7')).hits, [], 'the record is gone from Redis')
  t.same((await memoized.search('hgnc:7', 0, 20)).hits, first.hits, 'the same gene matched the same way by the same text: one hit')

  // A new version: its hits are built from its own records.
  const renamed = renamedFixture('alpha-2-macroglobulin, renamed')
  await store.load(readHgncSource(renamed), renamed)
  t.equal((await memoized.search('HGNC:7')).hits[0]?.name, 'alpha-2-macroglobulin, renamed', 'the next version\'s record, at once')
})

/** A copy of the JSON fixture with A2M (HGNC:7) renamed, as a newer HGNC release might have it. */
function renamedFixture (name: string): string {
  const data = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { response: { docs: Array<Record<string, unknown>> } }
  for (const doc of data.response.docs) if (doc['hgnc_id'] === 'HGNC:7') doc['name'] = name
  const path = join(mkdtempSync(join(tmpdir(), 'genejobs-search-')), 'genes.json')
  writeFileSync(path, JSON.stringify(data))
  return path
}
