import { defineAnalysis, type TableColumn, type VegaLiteSpec } from './analysis.js'
import { describeFilters, formatCount, locusGroupRank, stackedByLocusGroup } from './shared/charts.js'
import { countBy, describeRange, normaliseRange, rangeRequest, selectGenes } from './shared/range.js'

const YEAR = /^(\d{4})-\d{2}-\d{2}$/

/** One row of an `approval-timeline` result: genes of one locus group approved in one year. */
export type ApprovalTimelineRow = { year: number, locus_group: string, count: number }

/** The columns of the table (CSV/TSV) of an `approval-timeline` result. */
const COLUMNS: TableColumn[] = [
  { field: 'year', header: 'year' },
  { field: 'locus_group', header: 'locus_group' },
  { field: 'count', header: 'count' }
]

/** Every year from the first to the last with approvals, so gaps show as gaps on the axis. */
function yearSpan (rows: Array<{ year: number }>): number[] {
  if (rows.length === 0) return []
  const first = Math.min(...rows.map((row) => row.year))
  const last = Math.max(...rows.map((row) => row.year))
  return Array.from({ length: last - first + 1 }, (_, i) => first + i)
}

/** The chart of an `approval-timeline` result: genes approved per year, stacked by locus group. */
export function approvalTimelineChart (summary: Record<string, unknown>, rows: ApprovalTimelineRow[]): VegaLiteSpec {
  const undated = Number(summary['undated'] ?? 0)
  const subtitle = `${describeFilters(summary)}: ${formatCount(Number(summary['dated'] ?? 0))} dated genes` +
    (undated > 0 ? ` (${formatCount(undated)} without a date not shown)` : '')
  return stackedByLocusGroup(rows, {
    title: 'Genes approved per year, by locus group',
    subtitle,
    width: 720,
    x: { field: 'year', title: 'Year approved', scale: { domain: yearSpan(rows) }, axis: { labelAngle: -90 } },
    xTooltip: 'Year',
    yTitle: 'Genes approved'
  })
}

/** The year with the most approvals (the earliest of ties), or null when none is dated. */
function busiestYear (perYear: Record<string, number>): number | null {
  const [top] = Object.entries(perYear).sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))
  return top === undefined ? null : Number(top[0])
}

/**
 * `approval-timeline`: over the genes of an id range that pass the filters, how many were approved
 * (or reserved) each year, broken down by locus group; the earliest and latest dates; and the genes
 * without a date, counted apart rather than dropped.
 */
export const approvalTimeline = defineAnalysis({
  name: 'approval-timeline',
  request: rangeRequest('approval-timeline'),
  normalise: normaliseRange,
  async run (params, context) {
    const genes = await selectGenes(params, context)
    await context.progress(50)
    const dated = genes.filter((gene) => YEAR.test(gene.dateApproved))
    const undated = genes.filter((gene) => !YEAR.test(gene.dateApproved))
    const counts = new Map<string, number>()
    let earliest: string | null = null
    let latest: string | null = null
    for (const gene of dated) {
      const key = `${gene.dateApproved.slice(0, 4)}\t${gene.locusGroup}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
      if (earliest === null || gene.dateApproved < earliest) earliest = gene.dateApproved
      if (latest === null || gene.dateApproved > latest) latest = gene.dateApproved
    }
    const rows: ApprovalTimelineRow[] = [...counts].map(([key, count]) => {
      const [year = '', locusGroup = ''] = key.split('\t')
      return { year: Number(year), locus_group: locusGroup, count }
    }).sort((a, b) => a.year - b.year || locusGroupRank(a.locus_group) - locusGroupRank(b.locus_group))
    const perYear = countBy(dated, (gene) => gene.dateApproved.slice(0, 4))
    const summary = {
      ...describeRange(params),
      total: genes.length,
      dated: dated.length,
      undated: undated.length,
      earliest,
      latest,
      years: Object.keys(perYear).length,
      busiest_year: busiestYear(perYear),
      by_locus_group: countBy(genes, (gene) => gene.locusGroup),
      undated_by_locus_group: countBy(undated, (gene) => gene.locusGroup)
    }
    await context.progress(100)
    return { summary, rows }
  },
  columns: COLUMNS,
  chart: ({ summary, rows }) => approvalTimelineChart(summary, rows)
})
