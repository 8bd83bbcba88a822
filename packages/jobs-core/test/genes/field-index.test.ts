import t from 'tap'
import { fixturePath, startTestRedis } from '@genejobs/test-support'
import { FieldIndexBuilder, findInBucket, indexBucket } from '../../src/genes/field-index.js'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource, readHgncText } from '../../src/hgnc/hgnc-reader.js'
import { INDEXED_FIELDS } from '../../src/keys.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const store = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
const FIXTURE = fixturePath('genes.json')

async function * records (text: string): AsyncGenerator<string> { yield text }
const symbolsOf = (found: string[]) => found.map((raw) => (JSON.parse(raw) as { symbol: string }).symbol)

t.beforeEach(async () => {
  await redis.stores.genes.flushDb()
})

t.test('fetch: exact, case-insensitive, by any element of a list field, records exact as sourced', async (t) => {
  await t.rejects(store.fetch('symbol', 'BRCA1'), { code: 'NO_DATA' })
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const [brca1] = await store.fetch('hgnc_id', 'hgnc:1100')
  t.equal(brca1, await store.get('HGNC:1100'), 'byte for byte the stored record')
  t.same(symbolsOf(await store.fetch('symbol', 'brca1')), ['BRCA1'])
  t.same(symbolsOf(await store.fetch('prev_symbol', 'A1BGAS')), ['A1BG-AS1'], 'the second element of a list')
  t.same(symbolsOf(await store.fetch('alias_symbol', 'a2mp')), ['SHARED1'])
  t.same(symbolsOf(await store.fetch('entrez_id', ' 1 ')), ['A1BG'], 'surrounding spaces ignored')
  t.same(symbolsOf(await store.fetch('pubmed_id', '2001474')), ['A2M'], 'numbers are indexed as text')
  t.same(await store.fetch('symbol', 'A1B'), [], 'no prefix matching')
  t.same(await store.fetch('ensembl_gene_id', 'ENSG00000012048'), [], 'a field the fixture lacks')
})

t.test('one value naming several genes: all of them, in source order; filter fields too', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  t.same(await store.lookupField('status', ['approved', 'Entry Withdrawn', 'nope']), [[5, 37133, 7, 8, 1100, 7421, 30000], [1], []])
  t.same(await store.lookupField('chromosome', ['19', 'MT', 'x']), [[5, 37133], [7421], [30000]])
  t.same(await store.lookupField('locus_group', ['pseudogene']), [[8]])
})

t.test('a withdrawn entry is found with or without the ~withdrawn suffix', async (t) => {
  await store.load(readHgncText(records('[{"hgnc_id":"HGNC:9","symbol":"OLD1~withdrawn","status":"Entry Withdrawn"}]')), 'text')
  t.same(symbolsOf(await store.fetch('symbol', 'OLD1')), ['OLD1~withdrawn'])
  t.same(symbolsOf(await store.fetch('symbol', 'old1~WITHDRAWN')), ['OLD1~withdrawn'])
})

t.test('a value naming thousands of genes is read whole', async (t) => {
  const docs = Array.from({ length: 2500 }, (_, i) => ({ hgnc_id: `HGNC:${i + 1}`, symbol: `G${i + 1}`, pubmed_id: [42] }))
  await store.load(readHgncText(records(JSON.stringify(docs))), 'many')
  t.equal((await store.fetch('pubmed_id', '42')).length, 2500)
})

t.test('the indexes belong to the version: a reload swaps them, a delete removes them', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const first = await store.currentVersion() ?? ''
  const indexKeys = INDEXED_FIELDS.map((field) => redis.keys.genes.fieldIndex(first, field))
  t.ok(await redis.stores.genes.exists(indexKeys) > 5, 'written at load time')
  t.equal(await redis.stores.genes.pTTL(redis.keys.genes.fieldIndex(first, 'symbol')), -1, 'no staging TTL once swapped in')
  await store.load(readHgncText(records('[{"hgnc_id":"HGNC:1100","symbol":"RENAMED","prev_symbol":["BRCA1"]}]')), 'replacement')
  t.same(await store.fetch('symbol', 'BRCA1'), [], 'the new version answers')
  t.same(symbolsOf(await store.fetch('prev_symbol', 'BRCA1')), ['RENAMED'])
  t.ok(await redis.stores.genes.pTTL(redis.keys.genes.fieldIndex(first, 'symbol')) > 0, 'the old version\'s indexes expire')
  await store.deleteAll()
  await t.rejects(store.fetch('symbol', 'RENAMED'), { code: 'NO_DATA' })
  const second = await store.currentVersion()
  t.equal(second, null)
})

t.test('a failed load leaves no index behind', async (t) => {
  await t.rejects(store.load(readHgncText(records('[{"hgnc_id":"HGNC:1","symbol":"A"},{"hgnc_id":"HGNC:1","symbol":"B"}]')), 'dup'), { code: 'SOURCE_MALFORMED' })
  t.same(await redis.stores.genes.keys('*'), [])
})

t.test('many values at once (the whole index read) answer as few do; a value with a tab or a line feed is found', async (t) => {
  const docs = Array.from({ length: 3000 }, (_, i) => ({ hgnc_id: `HGNC:${i + 1}`, symbol: `G${i + 1}`, cosmic: i === 7 ? 'odd\tvalue' : i === 8 ? 'odd\nvalue' : `C${i % 1000}` }))
  await store.load(readHgncText(records(JSON.stringify(docs))), 'many')
  const values = Array.from({ length: 6000 }, (_, i) => i % 3 === 0 ? `nope${i}` : i % 3 === 1 ? `c${i % 1000}` : ` C${(i + 1) % 1000} `)
  values.push('ODD\tVALUE', 'odd\nvalue')
  const few: number[][] = []
  for (let start = 0; start < values.length; start += 100) few.push(...await store.lookupField('cosmic', values.slice(start, start + 100)))
  t.same(await store.lookupField('cosmic', values), few)
  t.same(few.slice(0, 3), [[], [2, 1002, 2002], [4, 1004, 2004]], 'every gene with the value, in source order')
  t.same(few.slice(-2), [[8], [9]])
  t.same(symbolsOf(await store.fetch('cosmic', 'odd\tvalue')), ['G8'])
})

t.test('the packed buckets: values in the order of their first gene, each gene once per value, a tabbed value in a field of its own', async (t) => {
  const builder = new FieldIndexBuilder()
  const docs = [
    { hgnc_id: 'HGNC:1', symbol: 'A', pubmed_id: [7, 7, 8], cosmic: 'x\ty' },
    { hgnc_id: 'HGNC:2', symbol: 'B', pubmed_id: [8], cosmic: 'X\tY' },
    { hgnc_id: 'HGNC:3', symbol: 'C', pubmed_id: [' 7 ', 9], cosmic: '' }
  ]
  docs.forEach((doc, i) => { builder.add(i + 1, doc) })
  const [pubmed] = builder.commandsOf('pubmed_id', 'k')
  const buckets = new Map<string, string>()
  for (let i = 2; i < (pubmed?.length ?? 0); i += 2) buckets.set(pubmed?.[i] as string, pubmed?.[i + 1] as string)
  t.equal(findInBucket(indexBucket('7'), buckets.get(indexBucket('7')), '7'), '1,3', 'a list\'s repeat counted once; spaces ignored')
  t.equal(findInBucket(indexBucket('8'), buckets.get(indexBucket('8')), '8'), '1,2')
  t.equal(findInBucket(indexBucket('9'), buckets.get(indexBucket('9')), '9'), '3')
  t.same([...buckets.keys()], [...new Set(['7', '8', '9'].map(indexBucket))], 'buckets in the order their first value came')
  t.same(builder.commandsOf('cosmic', 'c'), [['HSET', 'c', '=x\ty', '1,2']], 'one field for the tabbed value, both genes; an empty value is not indexed')
  t.same(builder.commandsOf('omim_id', 'o'), [], 'no command for a field no gene has')
})
