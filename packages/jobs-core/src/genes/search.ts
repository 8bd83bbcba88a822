import { FETCH_FIELDS, type FetchField, type Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { Command } from '../commands/index.js'
import { noData } from './current-version.js'
import { stringList } from './doc-fields.js'
import { indexBucket, indexValue } from './field-index.js'
import { namesOf, wordsOf } from './search-index.js'
import type { RecordReader } from './record-reader.js'
import { hitKey, type SearchHitMemo } from './search-hit-memo.js'

/** What a search hit matched: a symbol kind, a name, the HGNC id, or a cross-reference field. */
export type SearchMatch = 'symbol' | 'previous' | 'alias' | 'name' | 'id' | Exclude<FetchField, 'hgnc_id' | 'symbol' | 'prev_symbol' | 'alias_symbol'>

/** One gene a search found. */
export interface SearchHit {
  hgnc_id: string
  symbol: string
  name: string
  status: string
  match: SearchMatch
  /** The text that matched, as the record has it. */
  matched: string
}

/** A page of search hits and how many there are in all. */
export interface SearchPage {
  total: number
  hits: SearchHit[]
}

const searchLookups = new Command('search-lookups-1')

/** The cross-reference fields a search looks a query up in (symbols have their own tiers). */
const XREF_FIELDS = FETCH_FIELDS.filter((field) => !['symbol', 'prev_symbol', 'alias_symbol'].includes(field))

/** How a hit was found, before its record is read: the kind and the (lower-cased) key it matched. */
interface Candidate { match: SearchMatch, key: string }

const RANK_MATCH: readonly SearchMatch[] = ['symbol', 'previous', 'alias', 'symbol']

/**
 * Searches the current version, case-insensitively, through the indexes written at load time (no
 * key scans). Ranking: exact approved symbol, exact previous symbol or alias (then a withdrawn
 * symbol), then with a trailing `*` symbols starting with the text, then genes whose names
 * (name, previous or alias names) hold every word, then HGNC ids and cross-reference ids. A gene
 * appears once, under its best match. The version is pinned for the whole search.
 */
export async function searchGenes (client: RedisClient, keys: Keys['genes'], reader: RecordReader, memo: SearchHitMemo<SearchHit>, query: string, offset: number, limit: number): Promise<SearchPage> {
  const prefix = query.trimEnd().endsWith('*')
  const text = indexValue(query.trim().replace(/\*+$/, ''))
  const words = [...new Set(wordsOf(text))]
  const reply = await searchLookups.run(client, [keys.current], [
    keys.versionPrefix, keys.versionSuffix.symbols, keys.versionSuffix.prefixes, keys.versionSuffix.words, text, prefix ? '1' : '0', indexBucket(text),
    words.length, ...words, ...XREF_FIELDS.map(keys.fieldIndexSuffix)
  ]) as [string, string | null, string[], Array<string | null>, Array<string | null>] | null
  if (reply === null) throw noData()
  const [version, exact, prefixed, wordIds, xrefs] = reply
  const found = new Map<number, Candidate>()
  const add = (id: number, candidate: Candidate) => { if (!found.has(id)) found.set(id, candidate) }
  // The symbol index's entries: `<rank digit><numeric id>`, best first.
  for (const entry of exact === null || exact === undefined ? [] : exact.split(',')) add(Number(entry.slice(1)), { match: RANK_MATCH[Number(entry[0])] ?? 'symbol', key: text })
  const byRank = prefixed.map((member) => member.split('\t')).sort((a, b) => Number(a[1]) - Number(b[1]) || (a[0] ?? '').localeCompare(b[0] ?? ''))
  for (const [key = '', rank = '0', id = '0'] of byRank) add(Number(id), { match: RANK_MATCH[Number(rank)] ?? 'symbol', key })
  if (words.length > 0 && wordIds.every((ids) => ids !== null && ids !== undefined)) {
    for (const id of intersect(wordIds as string[])) add(id, { match: 'name', key: text })
  }
  XREF_FIELDS.forEach((field, i) => {
    const ids = xrefs[i]
    if (ids === null || ids === undefined) return
    for (const id of ids.split(',')) add(Number(id), { match: field === 'hgnc_id' ? 'id' : field as SearchMatch, key: text })
  })
  const page = [...found].slice(offset, offset + limit).map(([id, candidate]) => ({ id, candidate, memoKey: hitKey(id, candidate.match, candidate.key) }))
  const hits = page.map(({ memoKey }) => memo.get(version, memoKey))
  // Only the hits not built before read and parse their records.
  const missing = page.flatMap((entry, at) => hits[at] === undefined ? [{ ...entry, at }] : [])
  if (missing.length > 0) {
    const records = await reader.decode(version, await client.hmGet(keys.records(version), missing.map(({ id }) => String(id))))
    missing.forEach(({ candidate, memoKey, at }, i) => {
      const raw = records[i]
      if (raw === null || raw === undefined) return
      const hit = hitOf(JSON.parse(raw) as Record<string, unknown>, candidate, words)
      hits[at] = hit
      memo.remember(version, memoKey, hit)
    })
  }
  return { total: found.size, hits: hits.filter((hit) => hit !== undefined) }
}

/** The ids (comma-separated lists) present in every list, in the first list's order. */
function intersect (lists: string[]): number[] {
  const sorted = [...lists].sort((a, b) => a.length - b.length)
  const rest = sorted.slice(1).map((list) => new Set(list.split(',')))
  return (sorted[0] ?? '').split(',').filter((id) => rest.every((set) => set.has(id))).map(Number)
}

function hitOf (doc: Record<string, unknown>, candidate: Candidate, words: string[]): SearchHit {
  const text = (value: unknown) => typeof value === 'string' ? value : ''
  return {
    hgnc_id: text(doc['hgnc_id']),
    symbol: text(doc['symbol']),
    name: text(doc['name']),
    status: text(doc['status']),
    match: candidate.match,
    matched: matchedText(doc, candidate, words)
  }
}

/** The record's own spelling of what matched. */
function matchedText (doc: Record<string, unknown>, { match, key }: Candidate, words: string[]): string {
  const same = (values: unknown) => (Array.isArray(values) ? values : [values]).map(String).find((value) => value.toLowerCase() === key)
  switch (match) {
    case 'symbol': return String(doc['symbol'] ?? '')
    case 'previous': return stringList(doc['prev_symbol']).find((value) => value.toLowerCase() === key) ?? key
    case 'alias': return stringList(doc['alias_symbol']).find((value) => value.toLowerCase() === key) ?? key
    case 'name': {
      const names = namesOf(doc)
      return names.find((name) => { const own = new Set(wordsOf(name)); return words.every((word) => own.has(word)) }) ?? names[0] ?? ''
    }
    case 'id': return String(doc['hgnc_id'] ?? '')
    default: return same(doc[match]) ?? key
  }
}
