/**
 * The charts' common parts: the Vega-Lite schema, one colour per locus group, titles and axes.
 */
import { LOCUS_GROUPS } from '@genejobs/jobs-core'
import type { VegaLiteSpec } from '../analysis.js'

/** The Vega-Lite schema the charts are written for (vega-lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'

/** One colour per locus group, the same in every chart (Tableau 10, withdrawn in grey). */
const LOCUS_GROUP_COLOURS: Record<string, string> = {
  'protein-coding gene': '#4c78a8',
  'non-coding RNA': '#f58518',
  pseudogene: '#54a24b',
  phenotype: '#e45756',
  other: '#b279a2',
  withdrawn: '#9d9d9d'
}
const UNKNOWN_GROUP_COLOUR = '#72b7b2'

/** Where a locus group sorts: HGNC's order (`LOCUS_GROUPS`), unknown groups last. */
export function locusGroupRank (group: string): number {
  const rank = (LOCUS_GROUPS as readonly string[]).indexOf(group)
  return rank < 0 ? LOCUS_GROUPS.length : rank
}

/** The locus groups among `groups`, in HGNC's order (unknown ones last, by name). */
export function orderedLocusGroups (groups: Iterable<string>): string[] {
  return [...new Set(groups)].sort((a, b) => locusGroupRank(a) - locusGroupRank(b) || a.localeCompare(b))
}

/**
 * The colour and stacking encodings of a chart whose series are locus groups: a legend titled
 * "Locus group" listing only the groups present, in HGNC's order, with fixed colours, and stacks
 * in the same order (needs the `group_order` field that `locusGroupOrder` computes).
 */
export function locusGroupEncoding (groups: Iterable<string>): { color: Record<string, unknown>, order: Record<string, unknown> } {
  const domain = orderedLocusGroups(groups)
  return {
    color: {
      field: 'locus_group',
      type: 'nominal',
      title: 'Locus group',
      sort: domain,
      scale: { domain, range: domain.map((group) => LOCUS_GROUP_COLOURS[group] ?? UNKNOWN_GROUP_COLOUR) },
      legend: { orient: 'right' }
    },
    order: { field: 'group_order', type: 'quantitative', sort: 'ascending' }
  }
}

/** A transform adding `group_order` (a locus group's position in `groups`) for stacking. */
export function locusGroupOrder (groups: Iterable<string>): Record<string, unknown> {
  const domain = orderedLocusGroups(groups)
  return { calculate: `indexof(${JSON.stringify(domain)}, datum.locus_group)`, as: 'group_order' }
}

/** A chart title with a subtitle line (e.g. the range and filters the numbers cover). */
export function chartTitle (text: string, subtitle: string): Record<string, unknown> {
  return { text, subtitle, anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555' }
}

/** "HGNC:1–HGNC:60000, Approved, chromosome 17" for a range summary (used as a subtitle). */
export function describeFilters (summary: Record<string, unknown>): string {
  const parts = [`${String(summary['hgnc_id_start'])}–${String(summary['hgnc_id_end'])}`]
  if (summary['locus_group'] !== undefined) parts.push(String(summary['locus_group']))
  if (summary['status'] !== undefined) parts.push(String(summary['status']))
  if (summary['chromosome'] !== undefined) parts.push(`chromosome ${String(summary['chromosome'])}`)
  return parts.join(', ')
}

/** Thousands separators for subtitles: 42741 -> "42,741". */
export function formatCount (count: number): string {
  return count.toLocaleString('en-US')
}

/** A quantitative axis of counts: whole numbers only, with thousands separators. */
export const COUNT_AXIS = { format: ',d', tickMinStep: 1 }

/** What differs between the stacked-by-locus-group bar charts: the title, the x axis, the sizes. */
export interface StackedChartOptions {
  title: string
  subtitle: string
  width: number | { step: number }
  /** The x encoding: `field` and `title` are also used for the tooltip. */
  x: Record<string, unknown> & { field: string, title: string }
  yTitle: string
  /** The tooltip's name for the x value, when it differs from the axis title. */
  xTooltip?: string
}

/**
 * A bar chart of `count` per x value, stacked by locus group in HGNC's order, with a legend and a
 * tooltip: the shape of the approval-timeline and chromosomes charts.
 */
export function stackedByLocusGroup (rows: Array<{ locus_group: string, count: number }>, options: StackedChartOptions): VegaLiteSpec {
  const groups = rows.map((row) => row.locus_group)
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title, options.subtitle),
    width: options.width,
    height: 320,
    data: { values: rows },
    transform: [locusGroupOrder(groups)],
    mark: 'bar',
    encoding: {
      x: { type: 'ordinal', ...options.x },
      y: { aggregate: 'sum', field: 'count', type: 'quantitative', title: options.yTitle, stack: 'zero', axis: COUNT_AXIS },
      ...locusGroupEncoding(groups),
      tooltip: [
        { field: options.x.field, type: 'ordinal', title: options.xTooltip ?? options.x.title },
        { field: 'locus_group', type: 'nominal', title: 'Locus group' },
        { field: 'count', aggregate: 'sum', type: 'quantitative', title: 'Genes' }
      ]
    }
  }
}
