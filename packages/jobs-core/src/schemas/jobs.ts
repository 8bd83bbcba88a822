import Type, { type Static, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { GenejobsError } from '../errors.js'
import { HGNC_ID_INPUT_PATTERN, parseHgncId, formatHgncId } from '../hgnc/gene-id.js'

/** HGNC's locus groups, as `locus_group` holds them. */
export const LOCUS_GROUPS = ['protein-coding gene', 'non-coding RNA', 'pseudogene', 'phenotype', 'other', 'withdrawn'] as const
/** HGNC record statuses. */
export const GENE_STATUSES = ['Approved', 'Entry Withdrawn'] as const
/** Chromosomes in their display order. */
export const CHROMOSOMES = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'] as const
/** Job statuses: submitted -> in progress -> complete | failed (in progress -> submitted on a retry). */
export const JOB_STATUSES = ['submitted', 'in progress', 'complete', 'failed'] as const
/** A job's status. */
export type JobStatus = typeof JOB_STATUSES[number]

const hgncIdParam = (description: string) => Type.Union([
  Type.String({ pattern: HGNC_ID_INPUT_PATTERN, maxLength: 14 }),
  Type.Integer({ minimum: 1, maximum: 999_999_999 })
], { description })

/** The filters every range analysis accepts. */
const RangeFilters = {
  hgnc_id_start: hgncIdParam('first HGNC id of the range, HGNC:<n> or <n>'),
  hgnc_id_end: hgncIdParam('last HGNC id of the range (inclusive), HGNC:<n> or <n>, not below hgnc_id_start'),
  locus_group: Type.Optional(Type.Enum([...LOCUS_GROUPS], { description: 'only genes of this locus group' })),
  status: Type.Optional(Type.Enum([...GENE_STATUSES], { description: 'only genes with this status' })),
  chromosome: Type.Optional(Type.Enum([...CHROMOSOMES], { description: 'only genes on this chromosome (1-22, X, Y, MT)' }))
}

/** Parameters of `approval-timeline`: genes approved per year over an id range. */
export const ApprovalTimelineRequest = Type.Object({
  analysis: Type.Literal('approval-timeline'),
  ...RangeFilters
}, { additionalProperties: false })
/** A validated `approval-timeline` request. */
export type ApprovalTimelineRequest = Static<typeof ApprovalTimelineRequest>

/** Parameters of `locus-types`: genes per locus group and locus type over an id range. */
export const LocusTypesRequest = Type.Object({
  analysis: Type.Literal('locus-types'),
  ...RangeFilters
}, { additionalProperties: false })
/** A validated `locus-types` request. */
export type LocusTypesRequest = Static<typeof LocusTypesRequest>

/** Parameters of `chromosomes`: genes per chromosome (and unplaced forms) over an id range. */
export const ChromosomesRequest = Type.Object({
  analysis: Type.Literal('chromosomes'),
  ...RangeFilters
}, { additionalProperties: false })
/** A validated `chromosomes` request. */
export type ChromosomesRequest = Static<typeof ChromosomesRequest>

/** The most symbols one `symbol-check` job takes. */
export const SYMBOL_CHECK_MAX_SYMBOLS = 5000
/** The longest symbol `symbol-check` takes. */
export const SYMBOL_MAX_LENGTH = 64

/** Parameters of `symbol-check`: HGNC's multi-symbol checker over a list of symbols. */
export const SymbolCheckRequest = Type.Object({
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
}, { additionalProperties: false })
/** A validated `symbol-check` request. */
export type SymbolCheckRequest = Static<typeof SymbolCheckRequest>

/** Every analysis a job can run, with the schema of its request. */
export const ANALYSIS_SCHEMAS = {
  'approval-timeline': ApprovalTimelineRequest,
  'locus-types': LocusTypesRequest,
  chromosomes: ChromosomesRequest,
  'symbol-check': SymbolCheckRequest
} as const satisfies Record<string, TSchema>

/** The name of an analysis. */
export type AnalysisName = keyof typeof ANALYSIS_SCHEMAS
/** The names of every analysis, for error messages and enums. */
export const ANALYSIS_NAMES = Object.keys(ANALYSIS_SCHEMAS) as AnalysisName[]
/** The analysis a request runs when it names none. */
export const DEFAULT_ANALYSIS: AnalysisName = 'approval-timeline'

/** A validated request of an analysis over an HGNC id range (with the optional filters). */
export type RangeJobRequest = ApprovalTimelineRequest | LocusTypesRequest | ChromosomesRequest
/** A validated job request of any analysis. */
export type JobRequest = RangeJobRequest | SymbolCheckRequest

/** Tells a range analysis's request (which has `hgnc_id_start`/`hgnc_id_end`) from the others. */
export function isRangeRequest (request: JobRequest): request is RangeJobRequest {
  return request.analysis !== 'symbol-check'
}

/**
 * The body of `POST /jobs` as the route schema sees it: an object naming an analysis. The fields of
 * each analysis are checked by `validateJobRequest`, which gives one clear message per problem.
 */
export const JobRequestBody = Type.Object({
  analysis: Type.Optional(Type.Enum([...ANALYSIS_NAMES], { description: `which analysis to run: ${ANALYSIS_NAMES.join(', ')} (default ${DEFAULT_ANALYSIS})` }))
}, { additionalProperties: true })

const compiled = Object.fromEntries(Object.entries(ANALYSIS_SCHEMAS).map(([name, schema]) => [name, Compile(schema)])) as {
  [Name in AnalysisName]: ReturnType<typeof Compile<typeof ANALYSIS_SCHEMAS[Name]>>
}

function describe (schema: unknown): string | undefined {
  return (schema as { description?: string } | undefined)?.description
}

/** Turns one TypeBox validation error into "body/<field> must ..." with the field's rule. */
function explain (name: AnalysisName, error: { keyword: string, schemaPath: string, instancePath: string, params: Record<string, unknown>, message: string }): string {
  const field = error.instancePath.split('/')[1] ?? ''
  const properties = ANALYSIS_SCHEMAS[name].properties as Record<string, TSchema>
  if (error.keyword === 'additionalProperties' || error.schemaPath.endsWith('/additionalProperties')) {
    const extra = field !== '' ? field : (error.params['additionalProperties'] as string[] | undefined)?.[0] ?? ''
    if (extra.length > 64) return `body has a parameter with a ${extra.length}-character name; the parameters of ${name} are ${Object.keys(properties).join(', ')}`
    const allowed = Object.keys(properties).join(', ')
    return `body/${extra} is not a parameter of ${name}: the parameters are ${allowed}`
  }
  if (error.keyword === 'required') {
    const missing = (error.params['requiredProperties'] as string[] | undefined)?.[0] ?? String(error.params['missingProperty'] ?? '')
    return `body/${missing} is required: ${describe(properties[missing]) ?? 'see the README'}`
  }
  const property = properties[field] as (TSchema & { enum?: unknown[], items?: TSchema }) | undefined
  if (error.keyword === 'minItems' || error.keyword === 'maxItems') {
    const limit = Number(error.params['limit'])
    const bound = error.keyword === 'minItems' ? 'at least' : 'at most'
    return `body/${field} must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`
  }
  // An item of an array parameter: name it by its index and give the item's rule.
  const item = error.instancePath.split('/')[2]
  if (item !== undefined && property?.items !== undefined) {
    return `body/${field}/${item} must be ${describe(property.items) ?? error.message}`
  }
  const rule = describe(property)
  if (property?.enum !== undefined) return `body/${field} must be one of: ${property.enum.map((v) => JSON.stringify(v)).join(', ')}`
  return `body/${field} must be ${rule ?? error.message}`
}

/**
 * Checks a job request (as posted, or as stored) against its analysis's schema and normalises it:
 * the analysis defaults to `approval-timeline`, ids become `HGNC:<n>`, and a range must not end
 * below its start (range analyses only). Throws `INVALID_JOB` with one message naming the field and
 * the rule, e.g. `body/symbols must have at most 5000 items`.
 */
export function validateJobRequest (body: unknown): JobRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GenejobsError('INVALID_JOB', 'body must be a JSON object')
  }
  const input = { analysis: DEFAULT_ANALYSIS, ...(body as Record<string, unknown>) }
  const name = input.analysis as string
  if (!(ANALYSIS_NAMES as string[]).includes(name)) {
    throw new GenejobsError('INVALID_JOB', `body/analysis must be one of: ${ANALYSIS_NAMES.map((n) => JSON.stringify(n)).join(', ')}`)
  }
  const analysis = name as AnalysisName
  const validator = compiled[analysis]
  if (!validator.Check(input)) {
    const [first] = validator.Errors(input)
    throw new GenejobsError('INVALID_JOB', first === undefined ? 'body is invalid' : explain(analysis, first as never))
  }
  const request = input as JobRequest
  if (!isRangeRequest(request)) return request
  const start = parseHgncId(String(request.hgnc_id_start))
  const end = parseHgncId(String(request.hgnc_id_end))
  if (start > end) {
    throw new GenejobsError('INVALID_JOB', `body/hgnc_id_end must not be below body/hgnc_id_start (got ${formatHgncId(start)} > ${formatHgncId(end)})`)
  }
  return { ...request, hgnc_id_start: formatHgncId(start), hgnc_id_end: formatHgncId(end) }
}
