import type { HgncDoc } from '../hgnc/json-records.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { readCurrentFields } from './current-version.js'
import { stringList, textField } from './doc-fields.js'

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

/** Symbol fields written per HSET while a load stores the index. */
const SYMBOLS_PER_WRITE = 5000

/**
 * The symbol index of one version, built while a load reads its records: lower-cased symbol -> the
 * genes it names, ranked approved, previous, alias, withdrawn (source order within a rank).
 */
export class SymbolIndexBuilder {
  /**
   * Entries are kept as serialised JSON prefixed with their rank digit: building objects and
   * serialising them at the end was a tenth of the load.
   */
  private readonly symbols = new Map<string, string[]>()

  /** Indexes one gene's approved (or withdrawn) symbol, previous symbols and aliases. */
  add (doc: HgncDoc): void {
    const geneJson = JSON.stringify({
      hgnc_id: doc.hgnc_id,
      symbol: doc.symbol,
      name: textField(doc['name']),
      ...(typeof doc['location'] === 'string' ? { location: doc['location'] } : {})
    })
    this.addMatch(doc.symbol.replace(/~withdrawn$/, ''), doc['status'] === 'Entry Withdrawn' ? 'withdrawn' : 'approved', geneJson)
    for (const previous of stringList(doc['prev_symbol'])) this.addMatch(previous, 'previous', geneJson)
    for (const alias of stringList(doc['alias_symbol'])) this.addMatch(alias, 'alias', geneJson)
  }

  private addMatch (symbol: string, match: MatchType, geneJson: string): void {
    const key = symbol.toLowerCase()
    const entry = `${MATCH_RANK[match]}{"match":"${match}",${geneJson.slice(1)}`
    const list = this.symbols.get(key)
    if (list === undefined) this.symbols.set(key, [entry])
    else if (!list.includes(entry)) list.push(entry)
  }

  /** Writes the index to the hash `key` (a staging key: it expires after `ttlMs` unless swapped in). */
  async write (client: RedisClient, key: string, ttlMs: number): Promise<void> {
    let fields: Record<string, string> = {}
    let count = 0
    const pending: Array<Promise<unknown>> = []
    for (const [symbol, entries] of this.symbols) {
      // Entries start with their rank digit; the sort is stable, so source order holds within a rank.
      if (entries.length > 1) entries.sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0))
      fields[symbol] = `[${entries.map((entry) => entry.slice(1)).join(',')}]`
      if (++count % SYMBOLS_PER_WRITE === 0) {
        pending.push(handledLater(client.hSet(key, fields)))
        fields = {}
      }
    }
    pending.push(client.hSet(key, fields), client.pExpire(key, ttlMs))
    await Promise.all(pending)
  }
}

/**
 * The genes each symbol names in the current version, case-insensitively, in input order; an empty
 * list for a symbol nothing matches. Throws `NO_DATA` when nothing is loaded.
 */
export async function lookupSymbols (client: RedisClient, keys: Keys['genes'], symbols: string[]): Promise<SymbolMatch[][]> {
  const answers: SymbolMatch[][] = []
  for (let start = 0; start < symbols.length; start += SYMBOLS_PER_READ) {
    const slice = symbols.slice(start, start + SYMBOLS_PER_READ).map((symbol) => symbol.toLowerCase())
    for (const reply of await readCurrentFields(client, keys, 'symbols', slice)) answers.push(reply === null ? [] : JSON.parse(reply) as SymbolMatch[])
  }
  return answers
}

/** Marks a promise as handled now (its caller awaits it later), so an early rejection is not fatal. */
function handledLater<T> (promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
