import type { GeneStore, Logger } from '@genejobs/jobs-core'

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
