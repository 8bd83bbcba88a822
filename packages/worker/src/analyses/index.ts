import type { RedisClient } from '@genejobs/jobs-core'
import { approvalTimeline } from './approval-timeline.js'
import { chromosomes } from './chromosomes.js'
import { locusTypes } from './locus-types.js'
import { symbolCheck } from './symbol-check.js'
import { testAnalyses } from './test-only.js'
import type { Analysis } from './types.js'

export type { Analysis, AnalysisContext, AnalysisResult } from './types.js'

/** Every production analysis, by name. */
export const ANALYSES: ReadonlyArray<Analysis<any>> = [approvalTimeline, locusTypes, chromosomes, symbolCheck]

/**
 * The analyses a worker runs: the production ones, plus the test-only ones when the config enables
 * them (`counter` is where `test-count` counts its runs).
 */
export function createAnalysisRegistry (options: { testAnalyses: boolean, counter?: RedisClient }): Map<string, Analysis<any>> {
  const registry = new Map<string, Analysis<any>>(ANALYSES.map((analysis) => [analysis.name, analysis]))
  if (options.testAnalyses && options.counter !== undefined) {
    for (const analysis of testAnalyses(options.counter)) registry.set(analysis.name, analysis)
  }
  return registry
}
