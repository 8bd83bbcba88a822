import { formatHgncId, isRangeRequest, parseHgncId, UnrecoverableError, validateJobRequest, type GeneSummary, type JobRequest } from '@genejobs/jobs-core'
import { readGeneData, type AnalysisContext } from './types.js'
import { chromosomeOf } from './chromosome.js'

/** The id range and filters shared by the range analyses. */
export interface RangeParams {
  start: number
  end: number
  locusGroup?: string
  status?: string
  chromosome?: string
}

/** Re-validates stored parameters of a range analysis with the API's own rules. */
export function parseRangeParams (analysis: string, params: Record<string, unknown>): RangeParams {
  let request: JobRequest
  try {
    request = validateJobRequest({ ...params, analysis })
  } catch (err) {
    throw new UnrecoverableError(`invalid parameters: ${(err as Error).message}`, { cause: err })
  }
  if (!isRangeRequest(request)) throw new UnrecoverableError(`${analysis} is not a range analysis`)
  return {
    start: parseHgncId(String(request.hgnc_id_start)),
    end: parseHgncId(String(request.hgnc_id_end)),
    ...(request.locus_group !== undefined ? { locusGroup: request.locus_group } : {}),
    ...(request.status !== undefined ? { status: request.status } : {}),
    ...(request.chromosome !== undefined ? { chromosome: request.chromosome } : {})
  }
}

/** The range and filters as the result's summary repeats them. */
export function describeRange (params: RangeParams): Record<string, string> {
  return {
    hgnc_id_start: formatHgncId(params.start),
    hgnc_id_end: formatHgncId(params.end),
    ...(params.locusGroup !== undefined ? { locus_group: params.locusGroup } : {}),
    ...(params.status !== undefined ? { status: params.status } : {}),
    ...(params.chromosome !== undefined ? { chromosome: params.chromosome } : {})
  }
}

/**
 * The genes of a range that pass the filters, read from the projection written at load time (one
 * sorted-set range read, no key scans). Fails without retrying when no gene data is loaded.
 */
export async function selectGenes (params: RangeParams, context: AnalysisContext): Promise<GeneSummary[]> {
  const genes = await readGeneData(async () => await context.genes.summaries(params.start, params.end))
  return genes.filter((gene) =>
    (params.locusGroup === undefined || gene.locusGroup === params.locusGroup) &&
    (params.status === undefined || gene.status === params.status) &&
    (params.chromosome === undefined || chromosomeOf(gene.location) === params.chromosome))
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
