import type { HgncDoc } from '../hgnc/json-records.js'
import { stringList } from './doc-fields.js'
import { hashCommands, type CommandArgs } from './index-commands.js'

/** How a symbol matched a gene: its approved symbol, a previous symbol, an alias, or a withdrawn entry. */
export type MatchType = 'approved' | 'previous' | 'alias' | 'withdrawn'

/** The match types by rank, best first: an index entry starts with its match's rank digit. */
export const MATCHES: readonly MatchType[] = ['approved', 'previous', 'alias', 'withdrawn']

const MATCH_RANK: Record<MatchType, number> = { approved: 0, previous: 1, alias: 2, withdrawn: 3 }

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
