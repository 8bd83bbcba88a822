/**
 * What the analyses share: the id-range request and gene selection of the range analyses, where a
 * gene sits, and the charts' common parts (schema, locus-group colours, titles, axes).
 */
import Type, { type Static } from 'typebox'
import {
  CHROMOSOMES, chromosomeOf, formatHgncId, GENE_STATUSES, GenejobsError, HGNC_ID_INPUT_PATTERN, LOCUS_GROUPS, parseHgncId, type GeneSummary
} from '@genejobs/jobs-core'
import type { AnalysisContext, VegaLiteSpec } from './analysis.js'

export { chromosomeOf }

const hgncIdParam = (description: string) => Type.Union([
  Type.String({ pattern: HGNC_ID_INPUT_PATTERN, maxLength: 14 }),
  Type.Integer({ minimum: 1, maximum: 999_999_999 })
], { description })

/** The parameters every range analysis accepts: an id range and optional filters. */
const RANGE_PARAMETERS = {
  hgnc_id_start: hgncIdParam('first HGNC id of the range, HGNC:<n> or <n>'),
  hgnc_id_end: hgncIdParam('last HGNC id of the range (inclusive), HGNC:<n> or <n>, not below hgnc_id_start'),
  locus_group: Type.Optional(Type.Enum([...LOCUS_GROUPS], { description: 'only genes of this locus group' })),
  status: Type.Optional(Type.Enum([...GENE_STATUSES], { description: 'only genes with this status' })),
  chromosome: Type.Optional(Type.Enum([...CHROMOSOMES], { description: 'only genes on this chromosome (1-22, X, Y, MT)' }))
}

/** The request schema of a range analysis: `analysis`, then the range and the filters (with an example). */
export function rangeRequest<Name extends string> (name: Name) {
  return Type.Object({ analysis: Type.Literal(name), ...RANGE_PARAMETERS }, {
    additionalProperties: false,
    examples: [{ analysis: name, hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:20000', locus_group: 'protein-coding gene' }]
  })
}

/** A request of a range analysis (any name): the range and the filters. */
export type RangeRequest = Static<ReturnType<typeof rangeRequest<string>>>

/**
 * A range request's normal form: ids as `HGNC:<n>`; a range ending below its start is refused with
 * `INVALID_JOB` (`<where>/hgnc_id_end must not be below <where>/hgnc_id_start (...)`).
 */
export function normaliseRange<Request extends RangeRequest> (request: Request, where: string): Request {
  const start = parseHgncId(String(request.hgnc_id_start))
  const end = parseHgncId(String(request.hgnc_id_end))
  if (start > end) {
    throw new GenejobsError('INVALID_JOB', `${where}/hgnc_id_end must not be below ${where}/hgnc_id_start (got ${formatHgncId(start)} > ${formatHgncId(end)})`)
  }
  return { ...request, hgnc_id_start: formatHgncId(start), hgnc_id_end: formatHgncId(end) }
}

/** The range and filters as the result's summary repeats them. */
export function describeRange (request: RangeRequest): Record<string, string> {
  return {
    hgnc_id_start: formatHgncId(parseHgncId(String(request.hgnc_id_start))),
    hgnc_id_end: formatHgncId(parseHgncId(String(request.hgnc_id_end))),
    ...(request.locus_group !== undefined ? { locus_group: request.locus_group } : {}),
    ...(request.status !== undefined ? { status: request.status } : {}),
    ...(request.chromosome !== undefined ? { chromosome: request.chromosome } : {})
  }
}

/**
 * The genes of a range that pass the filters, read from the projection written at load time (one
 * sorted-set range read, no key scans). Fails without retrying when no gene data is loaded.
 */
export async function selectGenes (request: RangeRequest, context: AnalysisContext): Promise<GeneSummary[]> {
  const start = parseHgncId(String(request.hgnc_id_start))
  const end = parseHgncId(String(request.hgnc_id_end))
  const genes = await context.genes.summaries(start, end)
  return genes.filter((gene) =>
    (request.locus_group === undefined || gene.locusGroup === request.locus_group) &&
    (request.status === undefined || gene.status === request.status) &&
    (request.chromosome === undefined || chromosomeOf(gene.location) === request.chromosome))
}

/** Counts values into a plain object, keys in first-seen order. */
export function countBy<T> (items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) {
    const k = key(item)
    counts[k] = (counts[k] ?? 0) + 1
  }
  return counts
}

/** Where a gene sits, as the `chromosomes` analysis and the chromosome filter see it. */
export type Placement = string

/**
 * A location's bucket for counting: its chromosome, or `reserved`, `unplaced`, `other` (patches,
 * alternate loci) or `no location`, so no gene is silently dropped.
 */
export function placementOf (location: string): Placement {
  const chromosome = chromosomeOf(location)
  if (chromosome !== null) return chromosome
  if (location === '') return 'no location'
  if (location === 'reserved' || location === 'unplaced') return location
  return 'other'
}

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
