import t from 'tap'
import { fixtureGenes, loadedGenes, recordingContext } from '@genejobs/test-support'
import { approvalTimeline, parseJobParams, runAnalysis } from '../src/index.js'

const { genes } = await loadedGenes(t)
const ALL = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' }

/** The expected rows, computed straight from the fixture file (not through the store). */
function expectedRows (filter: (gene: ReturnType<typeof fixtureGenes>[number]) => boolean) {
  const counts: Record<string, number> = {}
  for (const gene of fixtureGenes().filter(filter)) {
    const date = gene.date_approved_reserved
    if (date === undefined) continue
    const key = `${date.slice(0, 4)}|${gene.locus_group}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

t.test('genes approved per year and locus group, over the whole fixture', async (t) => {
  const context = recordingContext(genes)
  const result = await runAnalysis(approvalTimeline, ALL, context)
  t.same(result.summary, {
    hgnc_id_start: 'HGNC:1',
    hgnc_id_end: 'HGNC:60000',
    total: 22,
    dated: 19,
    undated: 3,
    earliest: '1986-01-01',
    latest: '2011-06-02',
    years: 12,
    busiest_year: 1986,
    by_locus_group: { withdrawn: 2, 'protein-coding gene': 9, pseudogene: 4, phenotype: 1, 'non-coding RNA': 5, other: 1 },
    undated_by_locus_group: { withdrawn: 2, 'non-coding RNA': 1 }
  })
  t.same(result.rows.slice(0, 4), [
    { year: 1986, locus_group: 'protein-coding gene', count: 2 },
    { year: 1986, locus_group: 'non-coding RNA', count: 1 },
    { year: 1986, locus_group: 'pseudogene', count: 1 },
    { year: 1989, locus_group: 'protein-coding gene', count: 2 }
  ], 'years in order, locus groups in HGNC order within a year')
  const got = Object.fromEntries(result.rows.map((row) => [`${String(row['year'])}|${String(row['locus_group'])}`, row['count']]))
  t.same(got, expectedRows(() => true), 'every count equals an independent count of the fixture')
  t.equal(result.rows.reduce((sum, row) => sum + Number(row['count']), 0), 19, 'the rows add up to the dated genes')
  t.same(context.reports, [50, 100], 'progress after reading and at the end')
})

t.test('the filters and the range narrow the genes', async (t) => {
  const pseudogenes = await runAnalysis(approvalTimeline, { ...ALL, locus_group: 'pseudogene' }, recordingContext(genes))
  t.same(pseudogenes.rows, [
    { year: 1986, locus_group: 'pseudogene', count: 1 },
    { year: 2004, locus_group: 'pseudogene', count: 1 },
    { year: 2010, locus_group: 'pseudogene', count: 1 },
    { year: 2011, locus_group: 'pseudogene', count: 1 }
  ])
  t.equal(pseudogenes.summary['locus_group'], 'pseudogene', 'the summary repeats the filter')
  const chromosome1 = await runAnalysis(approvalTimeline, { ...ALL, chromosome: '1' }, recordingContext(genes))
  t.same(chromosome1.summary['total'], 3)
  t.same(chromosome1.summary['undated'], 1, 'NODATE1 has no approval date')
  const range = await runAnalysis(approvalTimeline, { hgnc_id_start: 1, hgnc_id_end: '1100' }, recordingContext(genes))
  t.equal(range.summary['total'], 7, 'HGNC:1 to HGNC:1100 holds 1, 2, 5, 7, 8, 310, 1100')
  const ids = new Set([1, 2, 5, 7, 8, 310, 1100].map((n) => `HGNC:${n}`))
  const got = Object.fromEntries(range.rows.map((row) => [`${String(row['year'])}|${String(row['locus_group'])}`, row['count']]))
  t.same(got, expectedRows((gene) => ids.has(gene.hgnc_id)))
  const none = await runAnalysis(approvalTimeline, { hgnc_id_start: 60001, hgnc_id_end: 70000 }, recordingContext(genes))
  t.same([none.summary['total'], none.rows, none.summary['busiest_year']], [0, [], null])
})

t.test('the chart: stacked bars per year, titled, with labelled axes and a locus group legend', async (t) => {
  const result = await runAnalysis(approvalTimeline, ALL, recordingContext(genes))
  const chart = result.chart as Record<string, any>
  t.equal(chart['$schema'], 'https://vega.github.io/schema/vega-lite/v6.json')
  t.equal(chart['title'].text, 'Genes approved per year, by locus group')
  t.match(chart['title'].subtitle, /^HGNC:1–HGNC:60000: 19 dated genes \(3 without a date not shown\)$/)
  t.same(chart['data'].values, result.rows, 'the chart plots the rows')
  t.equal(chart['encoding'].x.title, 'Year approved')
  t.equal(chart['encoding'].y.title, 'Genes approved')
  t.equal(chart['encoding'].color.title, 'Locus group')
  t.same(chart['encoding'].x.scale.domain, Array.from({ length: 2011 - 1986 + 1 }, (_, i) => 1986 + i), 'every year from first to last, gaps included')
  t.same(chart['encoding'].color.scale.domain, ['protein-coding gene', 'non-coding RNA', 'pseudogene', 'phenotype', 'other'], 'only the groups present, in HGNC order')
})

t.test('bad stored parameters fail without retrying', async (t) => {
  t.throws(() => parseJobParams(approvalTimeline, { hgnc_id_start: 'HGNC:9', hgnc_id_end: 'HGNC:1' }), { code: 'UNRECOVERABLE', message: /^invalid parameters: params\/hgnc_id_end must not be below params\/hgnc_id_start/ })
  t.throws(() => parseJobParams(approvalTimeline, { hgnc_id_start: 1 }), { code: 'UNRECOVERABLE', message: /^invalid parameters: params\/hgnc_id_end is required/ })
})
