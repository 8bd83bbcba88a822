import { CHROMOSOMES } from '@genejobs/jobs-core'
import { defineAnalysis, type TableColumn, type VegaLiteSpec } from './analysis.js'
import { describeFilters, formatCount, locusGroupRank, stackedByLocusGroup } from './shared/charts.js'
import { chromosomeOf, describeRange, normaliseRange, placementOf, rangeRequest, selectGenes } from './shared/range.js'

/** The buckets of genes on no chromosome, in the order they follow MT. */
export const OFF_CHROMOSOME_PLACEMENTS = ['unplaced', 'reserved', 'other', 'no location'] as const

/** Every placement in display order: 1-22, X, Y, MT, then the off-chromosome buckets. */
export const PLACEMENTS: readonly string[] = [...CHROMOSOMES, ...OFF_CHROMOSOME_PLACEMENTS]

/** One row of a `chromosomes` result: genes of one locus group on one chromosome (or bucket). */
export type ChromosomeRow = { chromosome: string, locus_group: string, count: number }

/** The columns of the table (CSV/TSV) of a `chromosomes` result. */
const COLUMNS: TableColumn[] = [
  { field: 'chromosome', header: 'chromosome' },
  { field: 'locus_group', header: 'locus_group' },
  { field: 'count', header: 'count' }
]

/** A location naming both sex chromosomes (pseudoautosomal genes, e.g. `Xp22.33 and Yp11.2`). */
const X_AND_Y = /^X.*\band Y/

/**
 * The chart of a `chromosomes` result: a bar per chromosome (all 25 always, in order), then one per
 * off-chromosome bucket that has genes, stacked by locus group.
 */
export function chromosomesChart (summary: Record<string, unknown>, rows: ChromosomeRow[]): VegaLiteSpec {
  const present = new Set(rows.map((row) => row.chromosome))
  const domain = PLACEMENTS.filter((placement) => (CHROMOSOMES as readonly string[]).includes(placement) || present.has(placement))
  return stackedByLocusGroup(rows, {
    title: 'Genes per chromosome, by locus group',
    subtitle: `${describeFilters(summary)}: ${formatCount(Number(summary['total'] ?? 0))} genes`,
    width: { step: 22 },
    x: { field: 'chromosome', title: 'Chromosome', sort: domain, scale: { domain }, axis: { labelAngle: -45 } },
    yTitle: 'Genes'
  })
}

/**
 * `chromosomes`: over the genes of an id range that pass the filters, how many lie on each
 * chromosome (parsed from `location`: `19q13.43` -> 19, `mitochondria` -> MT, a gene on both X and Y
 * counts once, under X), by locus group. Genes on no chromosome are counted in their own buckets
 * (`unplaced`, `reserved`, `other` for patches and alternate loci, `no location`), never dropped.
 */
export const chromosomes = defineAnalysis({
  name: 'chromosomes',
  request: rangeRequest('chromosomes'),
  normalise: normaliseRange,
  async run (params, context) {
    const genes = await selectGenes(params, context)
    await context.progress(50)
    const counts = new Map<string, ChromosomeRow>()
    const byPlacement = new Map<string, number>(PLACEMENTS.map((placement) => [placement, 0]))
    let onXAndY = 0
    for (const gene of genes) {
      const placement = placementOf(gene.location)
      byPlacement.set(placement, (byPlacement.get(placement) ?? 0) + 1)
      if (X_AND_Y.test(gene.location)) onXAndY++
      const key = `${placement}\t${gene.locusGroup}`
      const row = counts.get(key)
      if (row === undefined) counts.set(key, { chromosome: placement, locus_group: gene.locusGroup, count: 1 })
      else row.count++
    }
    const rows = [...counts.values()].sort((a, b) =>
      PLACEMENTS.indexOf(a.chromosome) - PLACEMENTS.indexOf(b.chromosome) || locusGroupRank(a.locus_group) - locusGroupRank(b.locus_group))
    const byChromosome = Object.fromEntries(CHROMOSOMES.map((chromosome) => [chromosome, byPlacement.get(chromosome) ?? 0]))
    const offChromosome = Object.fromEntries(OFF_CHROMOSOME_PLACEMENTS.map((placement) => [placement, byPlacement.get(placement) ?? 0]))
    const [most] = CHROMOSOMES.filter((chromosome) => (byPlacement.get(chromosome) ?? 0) > 0)
      .sort((a, b) => (byPlacement.get(b) ?? 0) - (byPlacement.get(a) ?? 0))
    const placed = genes.filter((gene) => chromosomeOf(gene.location) !== null).length
    const summary = {
      ...describeRange(params),
      total: genes.length,
      on_a_chromosome: placed,
      not_on_a_chromosome: genes.length - placed,
      chromosome_with_most_genes: most ?? null,
      on_x_and_y: onXAndY,
      by_chromosome: byChromosome,
      off_chromosome: offChromosome
    }
    await context.progress(100)
    return { summary, rows }
  },
  columns: COLUMNS,
  chart: ({ summary, rows }) => chromosomesChart(summary, rows)
})
