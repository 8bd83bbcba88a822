import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { realDataPath, startTestRedis } from '@genejobs/test-support'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource, type GeneRecord } from '../../src/hgnc/hgnc-reader.js'

// The real HGNC complete set (42,741 genes) lives beside the repository, never inside it.
const json = realDataPath('hgnc_complete_set.json.gz')
const tsv = realDataPath('hgnc_complete_set.txt.gz')
const missing = 'reason' in json ? json.reason : 'reason' in tsv ? tsv.reason : undefined
if (missing !== undefined) t.comment(`skipping real-data tests: ${missing}`)

t.test('the real JSON and TSV give 42,741 genes with identical values', { skip: missing ?? false }, async (t) => {
  if (!('path' in json) || !('path' in tsv)) return
  const fromJson = new Map<string, GeneRecord>()
  for await (const record of readHgncSource(json.path)) fromJson.set(record.doc.hgnc_id, record)
  t.equal(fromJson.size, 42741)
  let tsvCount = 0
  let differences = 0
  let fieldsCompared = 0
  for await (const { doc } of readHgncSource(tsv.path)) {
    tsvCount++
    const other = fromJson.get(doc.hgnc_id)?.doc
    if (other === undefined) { differences++; continue }
    for (const [field, value] of Object.entries(doc)) {
      fieldsCompared++
      if (JSON.stringify(value) !== JSON.stringify(other[field])) {
        if (differences++ < 5) t.fail(`${doc.hgnc_id} ${field}: TSV ${JSON.stringify(value)} vs JSON ${JSON.stringify(other[field])}`)
      }
    }
  }
  t.equal(tsvCount, 42741)
  t.equal(differences, 0, `every one of ${fieldsCompared} TSV values equals the JSON value`)
})

t.test('the real set loads into Redis and reads back exactly', { skip: missing ?? false }, async (t) => {
  if (!('path' in json) || !('path' in tsv)) return
  const redis = await startTestRedis()
  t.teardown(redis.close)
  const store = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  for (const path of [tsv.path, json.path]) {
    const summary = await store.load(readHgncSource(path), path)
    t.equal(summary.loaded, 42741, `${path}: loaded`)
    t.equal(summary.sha256, createHash('sha256').update(await readFile(path)).digest('hex'), `${path}: SHA-256 of the gzip file as read`)
    t.equal(await store.count(), 42741)
    const a1bg = JSON.parse(await store.get('HGNC:5') ?? '{}') as Record<string, unknown>
    t.same([a1bg['symbol'], a1bg['name'], a1bg['location']], ['A1BG', 'alpha-1-B glycoprotein', '19q13.43'])
  }
  // The JSON is loaded last: its raw records, 64-bit _version_ included, come back byte for byte.
  const raw = await store.get('HGNC:5')
  t.match(raw, /"_version_":1761599372646154240}$/)
  const ids = await store.ids()
  t.equal(ids.length, 42741)
  t.same(ids.slice(0, 3), ['HGNC:5', 'HGNC:37133', 'HGNC:24086'], 'source order')
  t.same((await store.lookupSymbol('brca1')).map((m) => [m.match, m.hgnc_id]), [['approved', 'HGNC:1100']])
  // The field indexes: an Ensembl id, a previous symbol, a withdrawn symbol, a paper.
  const symbols = async (field: Parameters<typeof store.fetch>[0], value: string) => (await store.fetch(field, value)).map((raw) => (JSON.parse(raw) as { symbol: string }).symbol)
  t.same(await symbols('ensembl_gene_id', 'ENSG00000012048'), ['BRCA1'])
  t.same(await symbols('prev_symbol', 'MLL'), ['KMT2A'])
  t.same(await symbols('symbol', 'A12M1'), ['A12M1'])
  t.ok((await store.fetch('pubmed_id', '1676470')).length >= 1)
  t.same(await store.lookupField('chromosome', ['17']).then(([ids]) => ids?.includes(1100)), true)
  // Search: the examples of issue 13.
  t.same((await store.search('brca1')).hits[0]?.hgnc_id, 'HGNC:1100')
  const breastCancer = (await store.search('breast cancer', 0, 100)).hits.map((hit) => hit.symbol)
  t.ok(breastCancer.includes('BRCA1') && breastCancer.includes('BRCA2'), 'breast cancer finds BRCA1 and BRCA2')
  t.match((await store.search('ENSG00000012048')).hits, [{ symbol: 'BRCA1', match: 'ensembl_gene_id' }])
  t.match((await store.search('brca*', 0, 3)).hits.map((hit) => hit.symbol), ['BRCA1', 'BRCA1P1', 'BRCA2'])
  const memory = /used_memory:(\d+)/.exec(await redis.stores.genes.info('memory'))?.[1]
  t.comment(`Redis memory with one version and all its indexes: ${Math.round(Number(memory) / 1048576)} MB`)
})
