import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { Command } from '../commands/index.js'
import { formatHgncId } from '../hgnc/gene-id.js'
import { noData, type ProjectionReader, readCurrent } from './current-version.js'
import { parseProjectionMember, type GeneSummary } from './projection.js'
import { MATCHES, type MatchType } from './symbol-index-builder.js'

/** One gene a symbol points to. */
export interface SymbolMatch {
  match: MatchType
  hgnc_id: string
  symbol: string
  name: string
  location?: string
}

/** Symbols looked up per script call: Lua's unpack() takes a few thousand values at most. */
const SYMBOLS_PER_READ = 2000

const lookupSymbolsCommand = new Command('lookup-symbols-1')

/**
 * The genes each symbol names in the current version, case-insensitively, in input order; an empty
 * list for a symbol nothing matches. With a `projection` kept in memory (workers), only the symbol
 * index is read and the genes come from that copy; otherwise one script reads both. Throws
 * `NO_DATA` when nothing is loaded.
 */
export async function lookupSymbols (client: RedisClient, keys: Keys['genes'], symbols: string[], projection?: ProjectionReader): Promise<SymbolMatch[][]> {
  const answers: SymbolMatch[][] = []
  for (let start = 0; start < symbols.length; start += SYMBOLS_PER_READ) {
    const slice = symbols.slice(start, start + SYMBOLS_PER_READ).map((symbol) => symbol.toLowerCase())
    if (projection?.caching === true) {
      const { version, values } = await readCurrent(client, keys, 'symbols', slice)
      const find = await projection.finder(version)
      for (const entries of values) {
        const matches: SymbolMatch[] = []
        // Entries are `<rank digit><numeric id>`, comma-separated, best first.
        for (const entry of entries === null || entries === undefined ? [] : entries.split(',')) {
          const gene = find(Number(entry.slice(1)))
          if (gene !== undefined) matches.push(symbolMatch(entry.charCodeAt(0) - 0x30, gene))
        }
        answers.push(matches)
      }
      continue
    }
    const reply = await lookupSymbolsCommand.run(client, [keys.current], [keys.versionPrefix, keys.versionSuffix.symbols, keys.versionSuffix.projection, ...slice])
    if (reply === null || reply === false) throw noData()
    for (const found of reply as string[][]) {
      const matches: SymbolMatch[] = []
      for (let i = 0; i + 1 < found.length; i += 2) matches.push(symbolMatch(Number(found[i]), parseProjectionMember(found[i + 1] as string)))
      answers.push(matches)
    }
  }
  return answers
}

/** A symbol match from its rank and the gene's projection. */
function symbolMatch (rank: number, { summary, name }: { summary: GeneSummary, name: string }): SymbolMatch {
  return {
    match: MATCHES[rank] ?? 'alias',
    hgnc_id: formatHgncId(summary.id),
    symbol: summary.symbol,
    name,
    ...(summary.location !== '' ? { location: summary.location } : {})
  }
}
