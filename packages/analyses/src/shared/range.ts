/**
 * The id-range request and gene selection the range analyses share, and where a gene sits.
 */
import Type, { type Static } from 'typebox'
import {
  CHROMOSOMES, chromosomeOf, formatHgncId, GENE_STATUSES, GenejobsError, HGNC_ID_INPUT_PATTERN, LOCUS_GROUPS, parseHgncId, type GeneSummary
} from '@genejobs/jobs-core'
import type { AnalysisContext } from '../analysis.js'

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
