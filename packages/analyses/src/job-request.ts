import Type, { type Static, type TObject, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { GenejobsError, isGenejobsError, UnrecoverableError, type DataVersionInfo, type JobRequest } from '@genejobs/jobs-core'
import type { Analysis, AnalysisContext, AnalysisOutput, AnalysisResult } from './analysis.js'
import { ANALYSES, DEFAULT_ANALYSIS } from './registry.js'
import { TEST_ANALYSES } from './test-only.js'

/**
 * Where a request came from, as messages name it: `body` for `POST /jobs`, `params` for the
 * parameters a worker re-checks (a worker has no HTTP body).
 */
export type RequestSource = 'body' | 'params'

/** The names of every analysis, for error messages and enums. */
export const ANALYSIS_NAMES: readonly string[] = ANALYSES.map((analysis) => analysis.name)

const byName: ReadonlyMap<string, Analysis> = analysesByName(false)

/** The analyses a deployment accepts and runs, by name: the registry's, plus the test-only ones when asked. */
export function analysesByName (withTestAnalyses: boolean): ReadonlyMap<string, Analysis> {
  const all: readonly Analysis[] = withTestAnalyses ? [...ANALYSES, ...TEST_ANALYSES] : ANALYSES
  return new Map(all.map((analysis) => [analysis.name, analysis]))
}

/** The part of a request schema the body schema reads: its properties and its examples. */
type RequestSchema = TSchema & { properties: Record<string, TSchema>, examples?: unknown[] }

/**
 * The body of `POST /jobs` for a set of analyses (the registry's, or a deployment's with the
 * test-only ones): `oneOf` their request schemas, told apart by `analysis` (which the default
 * analysis's schema makes optional, so exactly one schema takes any valid body). Each analysis's
 * first example becomes a named example (`x-examples`, as the OpenAPI document shows them). The
 * route validates with `validateJobRequest`; this schema is what it documents.
 */
export function jobRequestBody (analyses: Iterable<Analysis>) {
  const schemas: RequestSchema[] = []
  const examples: Record<string, { summary: string, value: unknown }> = {}
  for (const analysis of analyses) {
    const request = analysis.request as RequestSchema
    schemas.push(analysis.name !== DEFAULT_ANALYSIS
      ? request
      : Type.Object({ ...request.properties, analysis: Type.Optional(request.properties['analysis'] as TSchema) }, {
        additionalProperties: false, ...(request.examples !== undefined ? { examples: request.examples } : {})
      }))
    if (request.examples?.[0] !== undefined) examples[analysis.name] = { summary: `${analysis.name} job`, value: request.examples[0] }
  }
  const names = schemas.map((schema) => (schema.properties['analysis'] as { const?: string }).const)
  return Type.Unsafe<JobRequest>({
    oneOf: schemas,
    description: `which analysis to run: ${names.join(', ')} (default ${DEFAULT_ANALYSIS}), and its parameters`,
    'x-examples': examples
  })
}

/** The body of `POST /jobs` with the registry's analyses (see `jobRequestBody`). */
export const JobRequestBody = jobRequestBody(ANALYSES)

/** One TypeBox validation error, the parts a message is built from. */
interface SchemaError { keyword: string, schemaPath: string, instancePath: string, params: Record<string, unknown>, message: string }

/** The part of a compiled TypeBox validator used here. */
interface RequestValidator { Check: (value: unknown) => boolean, Errors: (value: unknown) => Iterable<unknown> }

const validators = new WeakMap<TObject, RequestValidator>()
function validatorOf (schema: TObject): RequestValidator {
  let validator = validators.get(schema)
  if (validator === undefined) {
    validator = Compile(schema)
    validators.set(schema, validator)
  }
  return validator
}

function describe (schema: unknown): string | undefined {
  return (schema as { description?: string } | undefined)?.description
}

/** Turns one TypeBox validation error into "<where>/<field> must ..." with the field's rule. */
function explain (analysis: Analysis<TObject, any>, error: SchemaError, where: RequestSource): string {
  const { name } = analysis
  const field = error.instancePath.split('/')[1] ?? ''
  const properties = analysis.request.properties as Record<string, TSchema>
  if (error.keyword === 'additionalProperties' || error.schemaPath.endsWith('/additionalProperties')) {
    const extra = field !== '' ? field : (error.params['additionalProperties'] as string[] | undefined)?.[0] ?? ''
    if (extra.length > 64) return `${where} has a parameter with a ${extra.length}-character name; the parameters of ${name} are ${Object.keys(properties).join(', ')}`
    const allowed = Object.keys(properties).join(', ')
    return `${where}/${extra} is not a parameter of ${name}: the parameters are ${allowed}`
  }
  if (error.keyword === 'required') {
    const missing = (error.params['requiredProperties'] as string[] | undefined)?.[0] ?? String(error.params['missingProperty'] ?? '')
    return `${where}/${missing} is required: ${describe(properties[missing]) ?? 'see the README'}`
  }
  const property = properties[field] as (TSchema & { enum?: unknown[], items?: TSchema }) | undefined
  if (error.keyword === 'minItems' || error.keyword === 'maxItems') {
    const limit = Number(error.params['limit'])
    const bound = error.keyword === 'minItems' ? 'at least' : 'at most'
    return `${where}/${field} must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`
  }
  // An item of an array parameter: name it by its index and give the item's rule.
  const item = error.instancePath.split('/')[2]
  if (item !== undefined && property?.items !== undefined) {
    return `${where}/${field}/${item} must be ${describe(property.items) ?? error.message}`
  }
  const rule = describe(property)
  if (property?.enum !== undefined) return `${where}/${field} must be one of: ${property.enum.map((v) => JSON.stringify(v)).join(', ')}`
  return `${where}/${field} must be ${rule ?? error.message}`
}

/**
 * Checks a request (`analysis` included) against one analysis's schema and normalises it. Throws
 * `INVALID_JOB` with one message naming the field and the rule, e.g.
 * `body/symbols must have at most 5000 items`.
 */
export function checkRequest<Request extends TObject> (analysis: Analysis<Request, any>, input: unknown, where: RequestSource): Static<Request> {
  const validator = validatorOf(analysis.request)
  if (!validator.Check(input)) {
    const [first] = validator.Errors(input)
    throw new GenejobsError('INVALID_JOB', first === undefined ? `${where} is invalid` : explain(analysis, first as SchemaError, where))
  }
  const request = input as Static<Request>
  return analysis.normalise === undefined ? request : analysis.normalise(request, where)
}

/**
 * Checks a job request (as posted, or as stored) against its analysis's schema and normalises it:
 * the analysis defaults to `approval-timeline`, then that analysis's `checkRequest` applies (ids
 * become `HGNC:<n>`, a range must not end below its start). Throws `INVALID_JOB` with one message
 * naming the field and the rule, as `body/<field>` unless `where` says otherwise.
 */
export function validateJobRequest (body: unknown, where: RequestSource = 'body', analyses: ReadonlyMap<string, Analysis> = byName): JobRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GenejobsError('INVALID_JOB', `${where} must be a JSON object`)
  }
  const input = { analysis: DEFAULT_ANALYSIS, ...(body as Record<string, unknown>) }
  const analysis = typeof input.analysis === 'string' ? analyses.get(input.analysis) : undefined
  if (analysis === undefined) {
    throw new GenejobsError('INVALID_JOB', `${where}/analysis must be one of: ${[...analyses.keys()].map((n) => JSON.stringify(n)).join(', ')}`)
  }
  return checkRequest(analysis, input, where) as JobRequest
}

/**
 * Re-checks the parameters a job was stored with, as the worker does before running it: the same
 * rules as `POST /jobs`, with messages naming `params/<field>`. Bad parameters cannot get better
 * on a retry, so this throws an `UnrecoverableError`.
 */
export function parseJobParams<Request extends TObject> (analysis: Analysis<Request, any>, params: Record<string, unknown>): Static<Request> {
  try {
    return checkRequest(analysis, { ...params, analysis: analysis.name }, 'params')
  } catch (err) {
    throw new UnrecoverableError(`invalid parameters: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Runs an analysis over a job's stored parameters: re-checks them (`parseJobParams`), runs it, and
 * adds its chart to the output. This is the result the worker stores.
 */
export async function runAnalysis<Request extends TObject> (analysis: Analysis<Request, any>, params: Record<string, unknown>, context: AnalysisContext): Promise<AnalysisResult> {
  const request = parseJobParams(analysis, params)
  let output: AnalysisOutput
  try {
    output = await analysis.run(request, context)
  } catch (err) {
    // No gene data loaded: retrying cannot help until someone loads the data.
    if (isGenejobsError(err, 'NO_DATA')) throw new UnrecoverableError(err.message, { cause: err })
    throw err
  }
  return analysis.chart === undefined ? output : { ...output, chart: analysis.chart(output) }
}

/** The line a chart carries to say which data it was drawn from. */
export function provenanceNote (data: DataVersionInfo): string {
  const digest = data.sha256 === null ? 'no SHA-256' : `SHA-256 ${data.sha256.slice(0, 12)}…`
  return `Data: HGNC version ${data.version} (${data.genes.toLocaleString('en-US')} genes, ${digest}), loaded ${data.loaded_at}`
}

/**
 * Adds to a result the data version it was computed on (`data`), and to its chart a last subtitle
 * line saying so, so a scientist can name the snapshot after it has been replaced.
 */
export function withProvenance (result: AnalysisResult, data: DataVersionInfo | null): AnalysisResult {
  if (data === null) return result
  if (result.chart === undefined) return { ...result, data }
  const title = result.chart['title']
  const note = provenanceNote(data)
  const chart = typeof title === 'object' && title !== null
    ? { ...result.chart, title: { ...title, subtitle: [...subtitleLines((title as { subtitle?: unknown }).subtitle), note] } }
    : { ...result.chart, title: { text: typeof title === 'string' ? title : '', subtitle: [note], anchor: 'start' } }
  return { ...result, chart, data }
}

function subtitleLines (subtitle: unknown): string[] {
  if (Array.isArray(subtitle)) return subtitle.map(String)
  return typeof subtitle === 'string' ? [subtitle] : []
}
