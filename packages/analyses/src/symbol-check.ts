import Type from 'typebox'
import type { SymbolMatch } from '@genejobs/jobs-core'
import { defineAnalysis, type TableColumn, type VegaLiteSpec } from './analysis.js'
import { formatCount } from './shared/charts.js'
import { matchCountChart } from './shared/match-chart.js'
import { lookUpSymbols } from './shared/symbol-lookup.js'
import { UPLOAD_MAX_IDENTIFIERS } from './upload-limits.js'

/**
 * The most symbols one `symbol-check` job takes: an uploaded file's limit. A JSON body is also
 * bounded by `BODY_LIMIT` (1 MiB by default, about 100,000 short symbols), and the worker looks
 * symbols up in pipelined batches, so one limit serves both.
 */
export const SYMBOL_CHECK_MAX_SYMBOLS = UPLOAD_MAX_IDENTIFIERS
/** The longest symbol `symbol-check` takes. */
export const SYMBOL_MAX_LENGTH = 64

/** How an input matched, as HGNC's multi-symbol checker reports it; `unmatched` when nothing did. */
export type SymbolMatchType = SymbolMatch['match'] | 'unmatched'

/** The match types, best first (an input's best match decides how the summary counts it). */
export const MATCH_TYPES: readonly SymbolMatchType[] = ['approved', 'previous', 'alias', 'withdrawn', 'unmatched']

/** The multi-symbol checker's wording of each match type, used in the CSV/TSV download. */
export const MATCH_TYPE_LABELS: Readonly<Record<SymbolMatchType, string>> = {
  approved: 'Approved symbol',
  previous: 'Previous symbol',
  alias: 'Alias symbol',
  withdrawn: 'Entry withdrawn',
  unmatched: 'Unmatched'
}

const MATCH_TYPE_COLOURS: Readonly<Record<SymbolMatchType, string>> = {
  approved: '#54a24b',
  previous: '#4c78a8',
  alias: '#f58518',
  withdrawn: '#9d9d9d',
  unmatched: '#e45756'
}

/** The columns of the `symbol-check` download: the multi-symbol checker's familiar ones. */
const COLUMNS: TableColumn[] = [
  { field: 'input', header: 'Input' },
  { field: 'match_type', header: 'Match type', labels: MATCH_TYPE_LABELS },
  { field: 'approved_symbol', header: 'Approved symbol' },
  { field: 'approved_name', header: 'Approved name' },
  { field: 'hgnc_id', header: 'HGNC ID' },
  { field: 'location', header: 'Location' }
]

/** Symbols looked up per batch; progress is reported as batches finish. */
export const SYMBOL_BATCH_SIZE = 2000
/** Batches in flight at once (node-redis pipelines them on one connection). */

/** One row of a `symbol-check` result: an input and one gene it names (or none, when unmatched). */
export type SymbolCheckRow = {
  input: string
  match_type: SymbolMatchType
  approved_symbol: string
  approved_name: string
  hgnc_id: string
  location: string
}

/** The chart of a `symbol-check` result: how many inputs got each (best) match type. */
export function symbolCheckChart (summary: { inputs: number, unique_inputs: number, by_match_type: Record<SymbolMatchType, number> }): VegaLiteSpec {
  return matchCountChart({
    title: 'Symbol check: inputs per match type',
    subtitle: `${formatCount(summary.inputs)} inputs (${formatCount(summary.unique_inputs)} unique, ignoring case)`,
    field: 'match_type',
    xTitle: 'Match type (best match of each input)',
    colourTitle: 'Match type',
    kinds: MATCH_TYPES,
    counts: summary.by_match_type,
    colours: MATCH_TYPE_COLOURS
  })
}

function rowsOf (input: string, matches: SymbolMatch[]): SymbolCheckRow[] {
  if (matches.length === 0) return [{ input, match_type: 'unmatched', approved_symbol: '', approved_name: '', hgnc_id: '', location: '' }]
  return matches.map((match) => ({
    input,
    match_type: match.match,
    approved_symbol: match.symbol,
    approved_name: match.name,
    hgnc_id: match.hgnc_id,
    location: match.location ?? ''
  }))
}

/**
 * `symbol-check`: HGNC's multi-symbol checker. For each input, in input order and case-insensitively,
 * every gene it names: approved symbol first, then previous symbols, aliases and withdrawn entries
 * (one row per candidate; an input naming nothing gets one `unmatched` row; repeated inputs are
 * reported each time). The summary counts inputs by their best match type, and the ambiguous ones
 * (naming more than one gene).
 */
export const symbolCheck = defineAnalysis({
  name: 'symbol-check',
  request: Type.Object({
    analysis: Type.Literal('symbol-check'),
    symbols: Type.Array(Type.String({
      pattern: `^[!-~]{1,${SYMBOL_MAX_LENGTH}}$`,
      maxLength: SYMBOL_MAX_LENGTH,
      description: `a symbol of 1 to ${SYMBOL_MAX_LENGTH} printable ASCII characters without spaces`
    }), {
      minItems: 1,
      maxItems: SYMBOL_CHECK_MAX_SYMBOLS,
      description: `an array of 1 to ${SYMBOL_CHECK_MAX_SYMBOLS} symbols to check (approved, previous, alias or withdrawn; any case), each 1 to ${SYMBOL_MAX_LENGTH} printable ASCII characters without spaces`
    })
  }, { additionalProperties: false, examples: [{ analysis: 'symbol-check', symbols: ['BRCA1', 'p53', 'FAM123A', 'not-a-gene'] }] }),
  async run (params, context) {
    const keys = params.symbols.map((symbol) => symbol.toLowerCase())
    const unique = [...new Set(keys)]
    const matches = await lookUpSymbols(unique, context, SYMBOL_BATCH_SIZE, 95)
    const byMatchType = Object.fromEntries(MATCH_TYPES.map((type) => [type, 0])) as Record<SymbolMatchType, number>
    const rows: SymbolCheckRow[] = []
    let ambiguous = 0
    params.symbols.forEach((input, i) => {
      const found = matches.get(keys[i] as string) ?? []
      byMatchType[found[0]?.match ?? 'unmatched']++
      if (new Set(found.map((match) => match.hgnc_id)).size > 1) ambiguous++
      rows.push(...rowsOf(input, found))
    })
    const summary = {
      inputs: params.symbols.length,
      unique_inputs: unique.length,
      matched: params.symbols.length - byMatchType.unmatched,
      ambiguous,
      by_match_type: byMatchType
    }
    await context.progress(100)
    return { summary, rows }
  },
  columns: COLUMNS,
  chart: ({ summary }) => symbolCheckChart(summary),
  upload: { list: 'symbols' }
})
