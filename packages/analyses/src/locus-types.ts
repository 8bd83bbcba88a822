import { defineAnalysis, type TableColumn, type VegaLiteSpec } from './analysis.js'
import { chartTitle, COUNT_AXIS, describeFilters, formatCount, locusGroupEncoding, locusGroupRank, VEGA_LITE_SCHEMA } from './shared/charts.js'
import { countBy, describeRange, normaliseRange, rangeRequest, selectGenes } from './shared/range.js'

/** One row of a `locus-types` result. */
export type LocusTypeRow = { locus_group: string, locus_type: string, count: number }

/** The columns of the table (CSV/TSV) of a `locus-types` result. */
const COLUMNS: TableColumn[] = [
  { field: 'locus_group', header: 'locus_group' },
  { field: 'locus_type', header: 'locus_type' },
  { field: 'count', header: 'count' }
]

/** Rows are grouped by locus group (HGNC's order), most common type first, then by name. */
function compareRows (a: LocusTypeRow, b: LocusTypeRow): number {
  return locusGroupRank(a.locus_group) - locusGroupRank(b.locus_group) || b.count - a.count || a.locus_type.localeCompare(b.locus_type)
}

/**
 * The chart of a `locus-types` result: one horizontal bar per locus type, longest first, coloured by
 * locus group, each labelled with its count (small types stay readable beside the large ones).
 */
export function locusTypesChart (summary: Record<string, unknown>, rows: LocusTypeRow[]): VegaLiteSpec {
  const { color } = locusGroupEncoding(rows.map((row) => row.locus_group))
  // Longest bar first: the order is given as the domain, which every layer shares.
  const totals = new Map<string, number>()
  for (const row of rows) totals.set(row.locus_type, (totals.get(row.locus_type) ?? 0) + row.count)
  const order = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type]) => type)
  const y = { field: 'locus_type', type: 'nominal', title: 'Locus type', sort: order, scale: { domain: order }, axis: { labelLimit: 320 } }
  // Room on the right of the longest bar for its label.
  const longest = Math.max(0, ...totals.values())
  const x = { aggregate: 'sum', field: 'count', type: 'quantitative', title: 'Genes', axis: COUNT_AXIS, scale: { domainMax: Math.ceil(longest * 1.12) } }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle('Genes per locus type', `${describeFilters(summary)}: ${formatCount(Number(summary['total'] ?? 0))} genes`),
    width: 560,
    height: { step: 16 },
    data: { values: rows },
    encoding: { y, x },
    layer: [
      { mark: { type: 'bar', tooltip: true }, encoding: { color } },
      { mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 10 }, encoding: { text: { aggregate: 'sum', field: 'count', type: 'quantitative', format: ',' } } }
    ]
  }
}

/**
 * `locus-types`: over the genes of an id range that pass the filters, how many there are of each
 * locus type, within each locus group (a type HGNC files under two groups gets a row per group).
 */
export const locusTypes = defineAnalysis({
  name: 'locus-types',
  request: rangeRequest('locus-types'),
  normalise: normaliseRange,
  async run (params, context) {
    const genes = await selectGenes(params, context)
    await context.progress(50)
    const counts = new Map<string, LocusTypeRow>()
    for (const gene of genes) {
      const key = `${gene.locusGroup}\t${gene.locusType}`
      const row = counts.get(key)
      if (row === undefined) counts.set(key, { locus_group: gene.locusGroup, locus_type: gene.locusType, count: 1 })
      else row.count++
    }
    const rows = [...counts.values()].sort(compareRows)
    const top = [...rows].sort((a, b) => b.count - a.count || a.locus_type.localeCompare(b.locus_type))[0]
    const summary = {
      ...describeRange(params),
      total: genes.length,
      locus_groups: new Set(rows.map((row) => row.locus_group)).size,
      locus_types: new Set(rows.map((row) => row.locus_type)).size,
      by_locus_group: Object.fromEntries(Object.entries(countBy(genes, (gene) => gene.locusGroup))
        .sort((a, b) => locusGroupRank(a[0]) - locusGroupRank(b[0]))),
      most_common_locus_type: top === undefined ? null : { locus_type: top.locus_type, count: top.count }
    }
    await context.progress(100)
    return { summary, rows }
  },
  columns: COLUMNS,
  chart: ({ summary, rows }) => locusTypesChart(summary, rows)
})
