import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { fixturePath, startTestRedis } from '@genejobs/test-support'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource, readHgncText, type GeneRecord } from '../../src/hgnc/hgnc-reader.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const store = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
const FIXTURE = fixturePath('genes.json')

async function * records (text: string): AsyncGenerator<string> { yield text }

t.beforeEach(async () => {
  await redis.stores.genes.flushDb()
})

t.test('nothing loaded: empty answers, not errors', async (t) => {
  t.equal(await store.currentVersion(), null)
  t.same(await store.ids(), [])
  t.equal(await store.count(), 0)
  t.equal(await store.deleteAll(), 0)
  await t.rejects(store.get('HGNC:5'), { code: 'NO_DATA' })
})

t.test('load, then read by every id spelling, in source order', async (t) => {
  const summary = await store.load(readHgncSource(FIXTURE), FIXTURE)
  t.equal(summary.loaded, 8)
  t.equal(summary.source, FIXTURE)
  t.ok(summary.ms >= 0)
  t.equal(await store.count(), 8)
  t.same(await store.ids(), ['HGNC:5', 'HGNC:37133', 'HGNC:1', 'HGNC:7', 'HGNC:8', 'HGNC:1100', 'HGNC:7421', 'HGNC:30000'])
  const a1bg = await store.get('HGNC:5')
  t.equal(await store.get('hgnc:5'), a1bg)
  t.equal(await store.get('5'), a1bg)
  t.equal(await store.get(5), a1bg)
  t.match(a1bg, /"_version_":1761599372646154241}$/, 'stored exactly as the source had it')
  t.equal(await store.get('HGNC:999999'), null)
  await t.rejects(store.get('HGNC:0'), { code: 'INVALID_ID' })
  await t.rejects(store.get('GENE:5'), { code: 'INVALID_ID' })
  // The version's metadata records what was loaded from where.
  const meta = await redis.stores.genes.hGetAll(redis.keys.genes.meta(await store.currentVersion() ?? ''))
  t.equal(Number(meta['count']), 8)
  t.equal(meta['source'], FIXTURE)
})

t.test('info: the provenance of the current version, the SHA-256 of the source bytes included', async (t) => {
  t.equal(await store.info(), null, 'null when nothing is loaded')
  const summary = await store.load(readHgncSource(FIXTURE), FIXTURE)
  const sha256 = createHash('sha256').update(await readFile(FIXTURE)).digest('hex')
  t.equal(summary.sha256, sha256)
  const info = await store.info()
  t.same(info, { version: summary.version, source: FIXTURE, loaded_at: summary.loaded_at, sha256, genes: 8 })
  t.match(info?.loaded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  // Records that did not come from bytes have no hash to give.
  await store.load(readHgncText(records('[{"hgnc_id":"HGNC:1","symbol":"ONLY"}]')), 'text')
  t.match(await store.info(), { source: 'text', sha256: null, genes: 1 })
  await store.deleteAll()
  t.equal(await store.info(), null, 'null after a delete')
})

t.test('symbol lookup: case-insensitive, approved before previous before alias', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  t.same((await store.lookupSymbol('brca1')).map((m) => [m.match, m.hgnc_id, m.symbol]), [['approved', 'HGNC:1100', 'BRCA1']])
  t.same((await store.lookupSymbol('BRCA1'))[0]?.name, 'BRCA1, DNA repair associated')
  t.same((await store.lookupSymbol('Ncrna00181')).map((m) => [m.match, m.symbol]), [['previous', 'A1BG-AS1']])
  t.same((await store.lookupSymbol('rnf53')).map((m) => [m.match, m.symbol]), [['alias', 'BRCA1']])
  // A2MP is A2MP1's previous symbol and SHARED1's alias: both, previous first.
  t.same((await store.lookupSymbol('a2mp')).map((m) => [m.match, m.symbol]), [['previous', 'A2MP1'], ['alias', 'SHARED1']])
  t.same((await store.lookupSymbol('A12M1')).map((m) => m.match), ['withdrawn'])
  t.same(await store.lookupSymbol('NOSUCHGENE'), [])
  const many = await store.lookupSymbols(['a2m', 'nope', 'MTND1'])
  t.same(many.map((matches) => matches.map((m) => m.symbol)), [['A2M'], [], ['MT-ND1']])
})

t.test('summaries: the projection by numeric id range', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const all = await store.summaries(1, 100000)
  t.same(all.map((g) => g.id), [1, 5, 7, 8, 1100, 7421, 30000, 37133], 'ordered by numeric id')
  const a2m = all.find((g) => g.symbol === 'A2M')
  t.same(a2m, { id: 7, symbol: 'A2M', status: 'Approved', locusGroup: 'protein-coding gene', locusType: 'gene with protein product', location: '12p13.31', dateApproved: '1986-01-01' })
  t.same((await store.summaries(5, 8)).map((g) => g.symbol), ['A1BG', 'A2M', 'A2MP1'])
})

t.test('stream records: every record once, in source order', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const seen: string[] = []
  for await (const batch of store.streamRecords(3)) seen.push(...batch)
  t.equal(seen.length, 8)
  t.same(seen.map((raw) => (JSON.parse(raw) as { hgnc_id: string }).hgnc_id), await store.ids())
})

t.test('delete all removes every gene key and reports the count', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  t.equal(await store.deleteAll(), 8)
  t.equal(await store.count(), 0)
  // A deleted version lingers only for its grace period, like a replaced one (so a stream that
  // started on it can finish): the pointer is gone at once, every other key expires by itself.
  t.equal(await redis.stores.genes.exists(redis.keys.genes.current), 0)
  const left = await redis.stores.genes.keys('*')
  const ttls = await Promise.all(left.map(async (key) => await redis.stores.genes.pTTL(key)))
  t.ok(ttls.every((ttl) => ttl > 0 && ttl <= 120_000), `every key left expires within 2 minutes: ${JSON.stringify(ttls)}`)
})

t.test('a failed load leaves the current data intact and no staging keys behind', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const before = await redis.snapshot()
  const broken = '[{"hgnc_id":"HGNC:1","symbol":"ONLY"},{"hgnc_id":"HGNC:2","symbol":'
  await t.rejects(store.load(readHgncText(records(broken)), 'broken'), { code: 'SOURCE_MALFORMED' })
  t.same(await redis.snapshot(), before, 'not one key changed')
  t.equal(await store.count(), 8)
})

t.test('an empty data set is refused rather than replacing the current one', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  await t.rejects(store.load(readHgncText(records('{"response":{"docs":[]}}')), 'empty'), { code: 'SOURCE_MALFORMED', message: /no gene records/ })
  t.equal(await store.count(), 8)
})

t.test('duplicate ids are refused', async (t) => {
  const text = '[{"hgnc_id":"HGNC:1","symbol":"A"},{"hgnc_id":"HGNC:1","symbol":"B"}]'
  await t.rejects(store.load(readHgncText(records(text)), 'dup'), { code: 'SOURCE_MALFORMED', message: /record 2: duplicate hgnc_id HGNC:1/ })
})

t.test('a second load while one runs is refused; the first completes', async (t) => {
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  async function * slow (): AsyncGenerator<GeneRecord> {
    for await (const record of readHgncSource(FIXTURE)) {
      yield record
      await gate
    }
  }
  const first = store.load(slow(), 'slow')
  await t.rejects(store.load(readHgncSource(FIXTURE), FIXTURE), { code: 'LOAD_IN_PROGRESS' })
  await t.rejects(store.deleteAll(), { code: 'LOAD_IN_PROGRESS' })
  release()
  t.equal((await first).loaded, 8)
})

t.test('readers see the old set or the new set, never a mix', async (t) => {
  // Old set: the fixture. New set: the same ids with every symbol suffixed "-NEW".
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const oldIds = await store.ids()
  const newDocs = oldIds.map((id, i) => ({ hgnc_id: id, symbol: `G${i}-NEW`, name: 'new' }))
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  async function * gated (): AsyncGenerator<GeneRecord> {
    for (const [i, doc] of newDocs.entries()) {
      if (i === 4) await gate // half the new set is written; readers must still see the old set
      yield { raw: JSON.stringify(doc), doc }
    }
  }
  const loading = store.load(gated(), 'new')
  const readAll = async () => await Promise.all(oldIds.map(async (id) => JSON.parse(await store.get(id) ?? '{}') as { symbol: string }))
  for (let i = 0; i < 5; i++) {
    const seen = await readAll()
    t.notOk(seen.some((g) => g.symbol.endsWith('-NEW')), 'mid-load: only old records')
  }
  release()
  await loading
  const after = await readAll()
  t.ok(after.every((g) => g.symbol.endsWith('-NEW')), 'after the swap: only new records')
  t.equal(await store.count(), 8)
})

t.test('a stream pinned to a version keeps reading it after a swap', async (t) => {
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const stream = store.streamRecords(2)
  const first = await stream.next()
  await store.load(readHgncText(records('[{"hgnc_id":"HGNC:1","symbol":"ONLY"}]')), 'replacement')
  const rest: string[] = []
  for await (const batch of stream) rest.push(...batch)
  t.equal((first.value as string[]).length + rest.length, 8, 'the old version, whole')
  t.equal(await store.count(), 1, 'new readers see the new version')
})

t.test('a cached projection answers like Redis and follows a swap', async (t) => {
  const cached = new GeneStore({ client: redis.stores.genes, keys: redis.keys, cacheSummaries: true })
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  for (const [start, end] of [[1, 100000], [5, 8], [6, 6], [7, 7], [40000, 50000], [2, 4]] as const) {
    t.same(await cached.summaries(start, end), await store.summaries(start, end), `[${start}, ${end}]`)
  }
  await store.load(readHgncText(records('[{"hgnc_id":"HGNC:7","symbol":"SWAPPED"}]')), 'replacement')
  t.same((await cached.summaries(1, 100000)).map((g) => g.symbol), ['SWAPPED'])
})

t.test('describe: the brief of each gene by numeric id, batched; unknown ids left out', async (t) => {
  await t.rejects(store.describe([1100]), { code: 'NO_DATA' })
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  t.same(await store.describe([]), new Map())
  const briefs = await store.describe([1100, 1, 99999, 1100])
  t.same([...briefs.entries()], [
    [1, { hgnc_id: 'HGNC:1', symbol: 'A12M1', name: 'entry withdrawn', status: 'Entry Withdrawn', location: '' }],
    [1100, { hgnc_id: 'HGNC:1100', symbol: 'BRCA1', name: 'BRCA1, DNA repair associated', status: 'Approved', location: '17q21.31' }]
  ], 'in id order; HGNC:99999 is not a gene')
  const named = await store.describe([1100], new Map([[1100, 'a name the caller already had']]))
  t.equal(named.get(1100)?.name, 'a name the caller already had', 'a known name is not read again')
})

t.test('symbol look-ups through a cached projection answer like the script, and follow a swap', async (t) => {
  const cached = new GeneStore({ client: redis.stores.genes, keys: redis.keys, cacheSummaries: true })
  await t.rejects(cached.lookupSymbols(['brca1']), { code: 'NO_DATA' })
  await store.load(readHgncSource(FIXTURE), FIXTURE)
  const symbols = ['brca1', 'A2MP', 'a12m1', 'nope', 'rnf53', 'Ncrna00181', 'MTND1', 'a2m']
  t.same(await cached.lookupSymbols(symbols), await store.lookupSymbols(symbols))
  await store.load(readHgncText(records('[{"hgnc_id":"HGNC:7","symbol":"SWAPPED","name":"new"}]')), 'replacement')
  t.same(await cached.lookupSymbols(['swapped', 'brca1']), [[{ match: 'approved', hgnc_id: 'HGNC:7', symbol: 'SWAPPED', name: 'new' }], []])
})
