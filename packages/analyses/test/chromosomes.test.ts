import t from 'tap'
import { CHROMOSOMES } from '@genejobs/jobs-core'
import { fixtureGenes, loadedGenes, placeOf, recordingContext } from '@genejobs/test-support'
import { chromosomes, runAnalysis } from '../src/index.js'

const { genes } = await loadedGenes(t)
const ALL = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' }

t.test('genes per chromosome, with the off-chromosome forms counted apart', async (t) => {
  const context = recordingContext(genes)
  const result = await runAnalysis(chromosomes, ALL, context)
  const byChromosome = Object.fromEntries(CHROMOSOMES.map((c) => [c, 0]))
  Object.assign(byChromosome, { 1: 3, 2: 1, 12: 2, 13: 1, 14: 1, 17: 2, 19: 2, X: 2, Y: 1, MT: 2 })
  t.same(result.summary, {
    hgnc_id_start: 'HGNC:1',
    hgnc_id_end: 'HGNC:60000',
    total: 22,
    on_a_chromosome: 17,
    not_on_a_chromosome: 5,
    chromosome_with_most_genes: '1',
    on_x_and_y: 1,
    by_chromosome: byChromosome,
    off_chromosome: { unplaced: 1, reserved: 1, other: 1, 'no location': 2 }
  })
  t.same(Object.keys(result.summary['by_chromosome'] as object), [...CHROMOSOMES], '1-22, X, Y, MT in that order')
  // Independently, from the fixture file.
  const expected: Record<string, number> = {}
  for (const gene of fixtureGenes()) {
    const key = `${placeOf(gene.location)}|${gene.locus_group}`
    expected[key] = (expected[key] ?? 0) + 1
  }
  t.same(Object.fromEntries(result.rows.map((row) => [`${String(row['chromosome'])}|${String(row['locus_group'])}`, row['count']])), expected)
  t.equal(result.rows.reduce((sum, row) => sum + Number(row['count']), 0), 22, 'no gene dropped')
  t.same(result.rows.map((row) => row['chromosome']), ['1', '1', '2', '12', '12', '13', '14', '17', '17', '19', '19', 'X', 'X', 'Y', 'MT', 'MT', 'unplaced', 'reserved', 'other', 'no location'], 'rows in chromosome order')
  t.same(context.reports, [50, 100])
})

t.test('filters: approved genes only; one chromosome', async (t) => {
  const approved = await runAnalysis(chromosomes, { ...ALL, status: 'Approved' }, recordingContext(genes))
  t.same(approved.summary['off_chromosome'], { unplaced: 1, reserved: 1, other: 1, 'no location': 0 })
  const y = await runAnalysis(chromosomes, { ...ALL, chromosome: 'Y' }, recordingContext(genes))
  t.same(y.rows, [{ chromosome: 'Y', locus_group: 'protein-coding gene', count: 1 }], 'CD99 (X and Y) counts under X, so Y holds SRY alone')
})

t.test('the chart: every chromosome on the axis, then the buckets that have genes', async (t) => {
  const result = await runAnalysis(chromosomes, ALL, recordingContext(genes))
  const chart = result.chart as Record<string, any>
  t.equal(chart['title'].text, 'Genes per chromosome, by locus group')
  t.same(chart['encoding'].x.scale.domain, [...CHROMOSOMES, 'unplaced', 'reserved', 'other', 'no location'])
  t.equal(chart['encoding'].x.title, 'Chromosome')
  t.equal(chart['encoding'].y.title, 'Genes')
  t.equal(chart['encoding'].color.title, 'Locus group')
  const approved = await runAnalysis(chromosomes, { ...ALL, status: 'Approved' }, recordingContext(genes))
  t.same((approved.chart as Record<string, any>)['encoding'].x.scale.domain, [...CHROMOSOMES, 'unplaced', 'reserved', 'other'], 'an empty bucket is left off the axis')
})
