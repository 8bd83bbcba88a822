import { LOCUS_GROUPS } from '@genejobs/jobs-core'
import type { Analysis } from './types.js'
import { countBy, describeRange, parseRangeParams, selectGenes, type RangeParams } from './range.js'

const YEAR = /^(\d{4})-\d{2}-\d{2}$/

function locusGroupRank (group: string): number {
  const rank = (LOCUS_GROUPS as readonly string[]).indexOf(group)
  return rank < 0 ? LOCUS_GROUPS.length : rank
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
export const approvalTimeline: Analysis<RangeParams> = {
  name: 'approval-timeline',
  parse: (params) => parseRangeParams('approval-timeline', params),
  async run (params, context) {
    const genes = await selectGenes(params, context)
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
    const rows = [...counts].map(([key, count]) => {
      const [year = '', locusGroup = ''] = key.split('\t')
      return { year: Number(year), locus_group: locusGroup, count }
    }).sort((a, b) => a.year - b.year || locusGroupRank(a.locus_group) - locusGroupRank(b.locus_group))
    const perYear = countBy(dated, (gene) => gene.dateApproved.slice(0, 4))
    return {
      summary: {
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
      },
      rows
    }
  }
}
