import type { HgncDoc } from '../hgnc/json-records.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { Command } from '../commands/index.js'
import { formatHgncId } from '../hgnc/gene-id.js'
import { type GeneSummary, noData, parseProjectionMember, type ProjectionReader, readCurrent } from './current-version.js'
import { stringList } from './doc-fields.js'
import { hashCommands, type CommandArgs } from './index-commands.js'

/** How a symbol matched a gene: its approved symbol, a previous symbol, an alias, or a withdrawn entry. */
export type MatchType = 'approved' | 'previous' | 'alias' | 'withdrawn'

/** One gene a symbol points to. */
export interface SymbolMatch {
  match: MatchType
  hgnc_id: string
  symbol: string
  name: string
  location?: string
}

const MATCH_RANK: Record<MatchType, number> = { approved: 0, previous: 1, alias: 2, withdrawn: 3 }

/** Symbols looked up per script call: Lua's unpack() takes a few thousand values at most. */
const SYMBOLS_PER_READ = 2000

const MATCHES: readonly MatchType[] = ['approved', 'previous', 'alias', 'withdrawn']

const lookupSymbolsCommand = new Command('lookup-symbols-1')

/**
 * The symbol index of one version, built while a load reads its records: lower-cased symbol -> the
 * genes it names, ranked approved, previous, alias, withdrawn (source order within a rank), stored
 * as `<rank digit><numeric id>` entries. A gene's symbol, name and location are read from the
 * projection when a symbol is looked up, so they are stored once per gene, not once per symbol.
 */
export class SymbolIndexBuilder {
  private readonly symbols = new Map<string, string>()

  /** Indexes one gene's approved (or withdrawn) symbol, previous symbols and aliases. */
  add (id: number, doc: HgncDoc): void {
    const withdrawn = doc['status'] === 'Entry Withdrawn'
    this.addMatch(doc.symbol.replace(/~withdrawn$/, ''), `${withdrawn ? MATCH_RANK.withdrawn : MATCH_RANK.approved}${id}`)
    for (const previous of stringList(doc['prev_symbol'])) this.addMatch(previous, `${MATCH_RANK.previous}${id}`)
    for (const alias of stringList(doc['alias_symbol'])) this.addMatch(alias, `${MATCH_RANK.alias}${id}`)
  }

  private addMatch (symbol: string, entry: string): void {
    const key = symbol.toLowerCase()
    const entries = this.symbols.get(key)
    if (entries === undefined) this.symbols.set(key, entry)
    else if (!entries.split(',').includes(entry)) this.symbols.set(key, `${entries},${entry}`)
  }

  /** The commands writing the index to the hash `key`. */
  commands (key: string): CommandArgs[] {
    // Entries start with their rank digit; the sort is stable, so source order holds within a rank.
    const ranked = (entries: string) => entries.includes(',') ? entries.split(',').sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0)).join(',') : entries
    return hashCommands(key, (function * (symbols) { for (const [symbol, entries] of symbols) yield [symbol, ranked(entries)] as [string, string] })(this.symbols))
  }
}

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
