import Type from 'typebox'
import { FETCH_FIELDS, parseHgncId, type FetchField, type GeneBrief } from '@genejobs/jobs-core'
import { defineAnalysis, type AnalysisContext, type TableColumn, type VegaLiteSpec } from './analysis.js'
import { formatCount } from './shared/charts.js'
import { resolveTiers, type Tier } from './shared/id-resolution.js'
import { matchCountChart } from './shared/match-chart.js'
import { lookUpSymbols } from './shared/symbol-lookup.js'
import { UPLOAD_MAX_IDENTIFIERS } from './upload-limits.js'

/** The most ids one `id-mapping` job takes. */
export const ID_MAPPING_MAX_IDS = UPLOAD_MAX_IDENTIFIERS
/** The longest id `id-mapping` takes (the longest in HGNC's data, a uuid, has 36 characters). */
export const ID_MAX_LENGTH = 100

/** Distinct ids looked up per call to the gene store; progress is reported after each. */
const IDS_PER_BATCH = 10_000

/** The match kinds of a `symbol` input, then those every `from` has, in the summary's and the chart's order. */
const SYMBOL_KINDS = ['approved', 'previous', 'alias'] as const
const TAIL_KINDS = ['withdrawn-merged', 'withdrawn', 'ambiguous', 'not-found'] as const
/** How the symbol index says a symbol matched, best first: the tiers of a `symbol` input. */
const SYMBOL_MATCHES = ['approved', 'previous', 'alias', 'withdrawn'] as const

/** The kinds a mapping from `from` can report, best first. */
function kindsOf (from: FetchField): string[] {
  return [...(from === 'symbol' ? SYMBOL_KINDS : [from]), ...TAIL_KINDS]
}

const KIND_COLOURS: Readonly<Record<string, string>> = {
  approved: '#54a24b',
  previous: '#4c78a8',
  alias: '#f58518',
  'withdrawn-merged': '#b279a2',
  withdrawn: '#9d9d9d',
  ambiguous: '#eeca3b',
  'not-found': '#e45756'
}
/** The colour of a match by a cross-reference field (`from` other than `symbol`). */
const FIELD_COLOUR = '#54a24b'

/** One row of an `id-mapping` result: an input and one gene it maps to (or none). */
export type IdMappingRow = { input: string, match: string, hgnc_id: string, symbol: string, name: string, status: string, location: string }

const COLUMNS: TableColumn[] = [
  { field: 'input', header: 'Input' },
  { field: 'match', header: 'Match' },
  { field: 'hgnc_id', header: 'HGNC ID' },
  { field: 'symbol', header: 'Symbol' },
  { field: 'name', header: 'Name' },
  { field: 'status', header: 'Status' },
  { field: 'location', header: 'Location' }
]

/** The summary of an `id-mapping` result. */
export type IdMappingSummary = {
  from: FetchField
  inputs: number
  unique_inputs: number
  /** Inputs mapped to exactly one current gene. */
  mapped: number
  ambiguous: number
  not_found: number
  /** Inputs per match kind (each input once), every kind of this `from` listed. */
  by_match: Record<string, number>
}

/** How an input is looked up: trimmed and lower-cased, as `GET /fetch` does; a bare number is an HGNC id for `hgnc_id`. */
function keyOf (from: FetchField, input: string): string {
  const key = input.trim().toLowerCase()
  return from === 'hgnc_id' && /^[1-9][0-9]{0,8}$/.test(key) ? `hgnc:${key}` : key
}

/**
 * Each distinct key's candidate tiers, best first, looked up in batches (progress up to 60), and
 * the genes' names where the look-up gave them.
 */
async function lookUp (from: FetchField, keys: string[], context: AnalysisContext): Promise<{ tiers: Tier[][], names?: Map<number, string> }> {
  if (from === 'symbol') {
    const matches = await lookUpSymbols(keys, context, IDS_PER_BATCH, 60)
    const names = new Map<number, string>()
    const tiers = keys.map((key): Tier[] => {
      const found = matches.get(key) ?? []
      if (found.length === 0) return []
      const byKind: Tier[] = SYMBOL_MATCHES.map((kind) => ({ kind, ids: [] }))
      for (const match of found) {
        const id = parseHgncId(match.hgnc_id)
        names.set(id, match.name)
        byKind[SYMBOL_MATCHES.indexOf(match.match)]?.ids.push(id)
      }
      return byKind
    })
    return { tiers, names }
  }
  const tiers: Tier[][] = []
  for (let start = 0; start < keys.length; start += IDS_PER_BATCH) {
    const batch = keys.slice(start, start + IDS_PER_BATCH)
    for (const ids of await context.genes.lookupField(from, batch)) tiers.push([{ kind: from, ids }])
    await context.progress(Math.floor(60 * (start + batch.length) / keys.length))
  }
  return { tiers }
}

const NO_GENE: GeneBrief = { hgnc_id: '', symbol: '', name: '', status: '', location: '' }

function rowOf (input: string, match: string, gene: GeneBrief): IdMappingRow {
  return { input, match, hgnc_id: gene.hgnc_id, symbol: gene.symbol, name: gene.name, status: gene.status, location: gene.location }
}

/** The chart of an `id-mapping` result: how many inputs matched each way. */
export function idMappingChart (summary: IdMappingSummary): VegaLiteSpec {
  const kinds = Object.keys(summary.by_match)
  return matchCountChart({
    title: `ID mapping: ${summary.from} to current HGNC genes`,
    subtitle: `${formatCount(summary.inputs)} inputs (${formatCount(summary.unique_inputs)} unique, ignoring case)`,
    field: 'match',
    xTitle: 'Match',
    colourTitle: 'Match',
    kinds,
    counts: summary.by_match,
    colours: { [summary.from]: FIELD_COLOUR, ...KIND_COLOURS },
    // Room for labels such as `withdrawn-merged` and `ensembl_gene_id` side by side.
    width: 100 * kinds.length
  })
}

/**
 * `id-mapping`: maps each input, a value of one of the fields `GET /fetch` lists, to the current
 * approved gene(s), in input order, case-insensitively. A `symbol` is matched as an approved
 * symbol, else a previous symbol, else an alias (`approved`, `previous`, `alias`); any other field
 * exactly (`match` is the field's name). A withdrawn entry is followed to the genes its note names
 * ("symbol withdrawn, see ...", "merged into ...": `withdrawn-merged`), else reported itself
 * (`withdrawn`). An input whose best match names several genes gets one `ambiguous` row per
 * candidate; one naming nothing gets a `not-found` row with the other columns empty.
 */
export const idMapping = defineAnalysis({
  name: 'id-mapping',
  request: Type.Object({
    analysis: Type.Literal('id-mapping'),
    from: Type.Enum([...FETCH_FIELDS], { description: 'the field the ids are values of, one of the fields GET /fetch lists' }),
    ids: Type.Array(Type.String({
      pattern: `^(?!\\s*$)[^\\u0000-\\u001F\\u007F]{1,${ID_MAX_LENGTH}}$`,
      maxLength: ID_MAX_LENGTH,
      description: `an id of 1 to ${ID_MAX_LENGTH} characters, not blank, without control characters`
    }), {
      minItems: 1,
      maxItems: ID_MAPPING_MAX_IDS,
      description: `an array of 1 to ${ID_MAPPING_MAX_IDS} ids (values of the field \`from\`; any case), each 1 to ${ID_MAX_LENGTH} characters`
    })
  }, { additionalProperties: false, examples: [{ analysis: 'id-mapping', from: 'ensembl_gene_id', ids: ['ENSG00000012048', 'ENSG00000141510', 'ENSG00000000000'] }] }),
  async run (params, context) {
    const from = params.from as FetchField
    const keys = params.ids.map((input) => keyOf(from, input))
    const unique = [...new Set(keys)]
    const { tiers, names } = await lookUp(from, unique, context)
    const { resolutions, briefs } = await resolveTiers(tiers, context.genes, names)
    await context.progress(80)
    const byKey = new Map(unique.map((key, i) => [key, resolutions[i] ?? { kind: 'not-found', ids: [] }]))
    const byMatch = Object.fromEntries(kindsOf(from).map((kind) => [kind, 0]))
    const rows: IdMappingRow[] = []
    params.ids.forEach((input, i) => {
      const { kind, ids } = byKey.get(keys[i] as string) ?? { kind: 'not-found', ids: [] }
      byMatch[kind] = (byMatch[kind] ?? 0) + 1
      if (ids.length === 0) rows.push(rowOf(input, kind, NO_GENE))
      for (const id of ids) rows.push(rowOf(input, kind, briefs.get(id) ?? NO_GENE))
    })
    const { ambiguous = 0, withdrawn = 0, 'not-found': notFound = 0 } = byMatch
    const summary: IdMappingSummary = {
      from,
      inputs: params.ids.length,
      unique_inputs: unique.length,
      mapped: params.ids.length - ambiguous - withdrawn - notFound,
      ambiguous,
      not_found: notFound,
      by_match: byMatch
    }
    await context.progress(100)
    return { summary, rows }
  },
  columns: COLUMNS,
  chart: ({ summary }) => idMappingChart(summary),
  // A file of ids (POST /jobs as multipart/form-data) fills `ids`; the form field `from` is copied.
  upload: { list: 'ids', fields: ['from'] }
})
