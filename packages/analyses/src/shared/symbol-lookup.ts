import type { SymbolMatch } from '@genejobs/jobs-core'
import type { AnalysisContext } from '../analysis.js'

/**
 * Looks distinct lower-cased symbols up in the symbol index, `batchSize` per call to the gene
 * store, reporting progress after each batch as the share done of `upTo` percent. The answers are
 * keyed by symbol: approved first, then previous symbols, aliases and withdrawn entries.
 */
export async function lookUpSymbols (symbols: string[], context: AnalysisContext, batchSize: number, upTo: number): Promise<Map<string, SymbolMatch[]>> {
  const matches = new Map<string, SymbolMatch[]>()
  for (let start = 0; start < symbols.length; start += batchSize) {
    const batch = symbols.slice(start, start + batchSize)
    const answers = await context.genes.lookupSymbols(batch)
    batch.forEach((symbol, i) => matches.set(symbol, answers[i] ?? []))
    await context.progress(Math.floor(upTo * (start + batch.length) / symbols.length))
  }
  return matches
}
