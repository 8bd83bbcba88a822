import { isGenejobsError, UnrecoverableError, type GeneStore, type Logger } from '@genejobs/jobs-core'

/** What an analysis may use while it runs. */
export interface AnalysisContext {
  genes: GeneStore
  log: Logger
  /** Reports progress (0-100); cheap to call often, it is throttled. */
  progress: (percent: number) => Promise<void>
}

/** Every result has the key numbers, the table, and (for charted analyses) a Vega-Lite spec. */
export interface AnalysisResult {
  summary: Record<string, unknown>
  rows: Array<Record<string, unknown>>
  chart?: Record<string, unknown>
}

/** One analysis: checks its stored parameters, then computes its result. */
export interface Analysis<Params = unknown> {
  name: string
  /** Re-checks the parameters the job was stored with; throws `UnrecoverableError` when bad. */
  parse: (params: Record<string, unknown>) => Params
  run: (params: Params, context: AnalysisContext) => Promise<AnalysisResult>
}

/**
 * Reads gene data for an analysis; "no gene data is loaded" becomes an `UnrecoverableError`, since
 * retrying cannot help until someone loads the data.
 */
export async function readGeneData<T> (read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    if (isGenejobsError(err, 'NO_DATA')) throw new UnrecoverableError(err.message, { cause: err })
    throw err
  }
}
