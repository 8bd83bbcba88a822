import t from 'tap'
import { fixtureGenes, loadedGenes, recordingContext } from '@genejobs/test-support'
import { locusTypes, runAnalysis } from '../src/index.js'

const { genes } = await loadedGenes(t)
const ALL = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' }

t.test('genes per locus group and locus type, over the whole fixture', async (t) => {
  const context = recordingContext(genes)
  const result = await runAnalysis(locusTypes, ALL, context)
  t.same(result.rows, [
    { locus_group: 'protein-coding gene', locus_type: 'gene with protein product', count: 9 },
    { locus_group: 'non-coding RNA', locus_type: 'RNA, micro', count: 3 },
    { locus_group: 'non-coding RNA', locus_type: 'RNA, long non-coding', count: 1 },
    { locus_group: 'non-coding RNA', locus_type: 'RNA, transfer', count: 1 },
    { locus_group: 'pseudogene', locus_type: 'pseudogene', count: 4 },
    { locus_group: 'phenotype', locus_type: 'phenotype only', count: 1 },
    { locus_group: 'other', locus_type: 'unknown', count: 1 },
    { locus_group: 'withdrawn', locus_type: 'withdrawn', count: 2 }
  ], 'grouped in HGNC order, most common type first within a group')
  // Independently: count the fixture file's genes by (group, type).
  const expected: Record<string, number> = {}
  for (const gene of fixtureGenes()) expected[`${gene.locus_group}|${gene.locus_type}`] = (expected[`${gene.locus_group}|${gene.locus_type}`] ?? 0) + 1
  t.same(Object.fromEntries(result.rows.map((row) => [`${String(row['locus_group'])}|${String(row['locus_type'])}`, row['count']])), expected)
  t.same(result.summary, {
    hgnc_id_start: 'HGNC:1',
    hgnc_id_end: 'HGNC:60000',
    total: 22,
    locus_groups: 6,
    locus_types: 8,
    by_locus_group: { 'protein-coding gene': 9, 'non-coding RNA': 5, pseudogene: 4, phenotype: 1, other: 1, withdrawn: 2 },
    most_common_locus_type: { locus_type: 'gene with protein product', count: 9 }
  })
  t.same(context.reports, [50, 100])
})

t.test('the same filters as approval-timeline', async (t) => {
  const approved = await runAnalysis(locusTypes, { ...ALL, status: 'Approved' }, recordingContext(genes))
  t.equal(approved.summary['total'], 20)
  t.notOk(approved.rows.some((row) => row['locus_group'] === 'withdrawn'))
  const onX = await runAnalysis(locusTypes, { ...ALL, chromosome: 'X' }, recordingContext(genes))
  t.same(onX.rows, [
    { locus_group: 'protein-coding gene', locus_type: 'gene with protein product', count: 1 },
    { locus_group: 'other', locus_type: 'unknown', count: 1 }
  ], 'CD99 (X and Y) and SHARED1 (X)')
  const none = await runAnalysis(locusTypes, { ...ALL, locus_group: 'phenotype', chromosome: '1' }, recordingContext(genes))
  t.same([none.summary['total'], none.rows, none.summary['most_common_locus_type']], [0, [], null])
})

t.test('the chart: horizontal bars, longest first, labelled with their counts', async (t) => {
  const result = await runAnalysis(locusTypes, ALL, recordingContext(genes))
  const chart = result.chart as Record<string, any>
  t.equal(chart['title'].text, 'Genes per locus type')
  t.equal(chart['encoding'].y.field, 'locus_type', 'types on the vertical axis: horizontal bars')
  t.equal(chart['encoding'].y.title, 'Locus type')
  t.equal(chart['encoding'].x.title, 'Genes')
  t.same(chart['encoding'].y.scale.domain, ['gene with protein product', 'pseudogene', 'RNA, micro', 'withdrawn', 'phenotype only', 'RNA, long non-coding', 'RNA, transfer', 'unknown'])
  t.equal(chart['layer'][0].encoding.color.title, 'Locus group')
})
