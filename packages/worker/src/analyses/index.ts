import { analysesByName, type Analysis } from '@genejobs/analyses'

/**
 * The analyses a worker runs: every analysis of `@genejobs/analyses`, plus the test-only ones when
 * the config enables them.
 */
export function createAnalysisRegistry (options: { testAnalyses: boolean }): Map<string, Analysis> {
  return new Map(analysesByName(options.testAnalyses))
}
