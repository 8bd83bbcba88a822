import type { SymbolMatch } from '@genejobs/jobs-core'
import type { AnalysisContext } from '../analysis.js'

/** Symbol look-ups kept in flight at once, so their round trips overlap. */
const BATCHES_IN_FLIGHT = 4

/**
 * Looks distinct lower-cased symbols up in the symbol index, `batchSize` per call to the gene
 * store and `BATCHES_IN_FLIGHT` calls at a time, reporting progress as batches finish as the share
 * done of `upTo` percent. The answers are keyed by symbol: approved first, then previous symbols,
 * aliases and withdrawn entries.
 */
export async function lookUpSymbols (symbols: string[], context: AnalysisContext, batchSize: number, upTo: number): Promise<Map<string, SymbolMatch[]>> {
  const matches = new Map<string, SymbolMatch[]>()
  let next = 0
  let done = 0
  const lane = async (): Promise<void> => {
    while (next < symbols.length) {
      const batch = symbols.slice(next, next + batchSize)
      next += batch.length
      const answers = await context.genes.lookupSymbols(batch)
      batch.forEach((symbol, i) => matches.set(symbol, answers[i] ?? []))
      done += batch.length
      await context.progress(Math.floor(upTo * done / symbols.length))
    }
  }
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, lane))
  return matches
}
