import { ANALYSES, type Analysis } from '@genejobs/analyses'
import type { RedisClient } from '@genejobs/jobs-core'
import { testAnalyses } from './test-only.js'

/**
 * The analyses a worker runs: every analysis of `@genejobs/analyses`, plus the test-only ones when
 * the config enables them (`counter` is where `test-count` counts its runs).
 */
export function createAnalysisRegistry (options: { testAnalyses: boolean, counter?: RedisClient }): Map<string, Analysis> {
  const registry = new Map<string, Analysis>(ANALYSES.map((analysis) => [analysis.name, analysis]))
  if (options.testAnalyses && options.counter !== undefined) {
    for (const analysis of testAnalyses(options.counter)) registry.set(analysis.name, analysis)
  }
  return registry
}
