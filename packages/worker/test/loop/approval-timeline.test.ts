import { readFile } from 'node:fs/promises'
import t from 'tap'
import pino from 'pino'
import { GeneStore, readHgncSource } from '@genejobs/jobs-core'
import { fixturePath, startTestRedis } from '@genejobs/test-support'
import { approvalTimeline, runAnalysis } from '@genejobs/analyses'

const redis = await startTestRedis()
t.teardown(redis.close)
const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
await genes.load(readHgncSource(fixturePath('genes.json')), 'fixture')
const context = { genes, log: pino({ level: 'silent' }), progress: async () => {} }
const run = async (params: Record<string, unknown>) => await runAnalysis(approvalTimeline, params, context)

// Fixture by hand: dates 1989-06-30 (A1BG, protein-coding), 2009-07-20 (A1BG-AS1, non-coding RNA),
// none (A12M1, withdrawn), 1986-01-01 (A2M protein-coding; A2MP1 pseudogene; MT-ND1
// protein-coding), 1991-07-05 (BRCA1 protein-coding), 2004-02-11 (SHARED1 other).
t.test('the full range, counted by hand', async (t) => {
  const result = await run({ hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100000' })
  t.same(result.summary, {
    hgnc_id_start: 'HGNC:1',
    hgnc_id_end: 'HGNC:100000',
    total: 8,
    dated: 7,
    undated: 1,
    earliest: '1986-01-01',
    latest: '2009-07-20',
    years: 5,
    busiest_year: 1986,
    by_locus_group: { withdrawn: 1, 'protein-coding gene': 4, pseudogene: 1, other: 1, 'non-coding RNA': 1 },
    undated_by_locus_group: { withdrawn: 1 }
  })
  t.same(result.rows, [
    { year: 1986, locus_group: 'protein-coding gene', count: 2 },
    { year: 1986, locus_group: 'pseudogene', count: 1 },
    { year: 1989, locus_group: 'protein-coding gene', count: 1 },
    { year: 1991, locus_group: 'protein-coding gene', count: 1 },
    { year: 2004, locus_group: 'other', count: 1 },
    { year: 2009, locus_group: 'non-coding RNA', count: 1 }
  ])
})

t.test('the range bounds are inclusive and filters combine', async (t) => {
  t.equal((await run({ hgnc_id_start: '5', hgnc_id_end: '8' })).summary['total'], 3, 'A1BG, A2M, A2MP1')
  t.equal((await run({ hgnc_id_start: '6', hgnc_id_end: '6' })).summary['total'], 0)
  const coding = await run({ hgnc_id_start: '1', hgnc_id_end: '100000', locus_group: 'protein-coding gene' })
  t.equal(coding.summary['total'], 4)
  t.equal((await run({ hgnc_id_start: '1', hgnc_id_end: '100000', status: 'Entry Withdrawn' })).summary['undated'], 1)
  t.equal((await run({ hgnc_id_start: '1', hgnc_id_end: '100000', chromosome: 'MT' })).summary['total'], 1, 'MT-ND1 ("mitochondria")')
  t.equal((await run({ hgnc_id_start: '1', hgnc_id_end: '100000', chromosome: '19' })).summary['total'], 2, 'A1BG and A1BG-AS1')
  t.equal((await run({ hgnc_id_start: '1', hgnc_id_end: '100000', chromosome: '1' })).summary['total'], 0, '"19q13.43" is not chromosome 1')
  const empty = await run({ hgnc_id_start: '1', hgnc_id_end: '100000', chromosome: 'Y' })
  t.same([empty.summary['earliest'], empty.summary['busiest_year'], empty.rows], [null, null, []])
})

t.test('an independent count from the fixture file agrees per year', async (t) => {
  const docs = (JSON.parse(await readFile(fixturePath('genes.json'), 'utf8')) as { response: { docs: Array<Record<string, string>> } }).response.docs
  const expected: Record<string, number> = {}
  for (const doc of docs) if (doc['date_approved_reserved'] !== undefined) expected[doc['date_approved_reserved'].slice(0, 4)] = (expected[doc['date_approved_reserved'].slice(0, 4)] ?? 0) + 1
  const result = await run({ hgnc_id_start: '1', hgnc_id_end: '100000' })
  const actual: Record<string, number> = {}
  for (const row of result.rows as Array<{ year: number, count: number }>) actual[row.year] = (actual[row.year] ?? 0) + row.count
  t.same(actual, expected)
})

t.test('no gene data: an unrecoverable error', async (t) => {
  const empty = await startTestRedis()
  t.teardown(empty.close)
  const none = new GeneStore({ client: empty.stores.genes, keys: empty.keys })
  await t.rejects(runAnalysis(approvalTimeline, { hgnc_id_start: '1', hgnc_id_end: '2' }, { ...context, genes: none }), { code: 'UNRECOVERABLE', message: 'no gene data is loaded: POST /data first' })
})
