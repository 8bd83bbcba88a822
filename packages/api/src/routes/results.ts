import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Negotiator from 'negotiator'
import Type from 'typebox'
import { analysesByName } from '@genejobs/analyses'
import { GenejobsError } from '@genejobs/jobs-core'
import type { DrawnForm, ResultRenderer } from '@genejobs/render'
import { JobNotCompleteError, NotAcceptableError } from '../http-errors.js'
import { errorResponses } from '../schemas/error.js'
import { JobParams, RESULT_FORMATS, ResultPending, ResultQuery, type ResultFormat } from '../schemas/jobs.js'
import { sendRawJson } from '../raw-json.js'

/** The media type each form is offered as (what `Accept` asks for). */
const MEDIA_TYPES: Readonly<Record<ResultFormat, readonly string[]>> = {
  json: ['application/json'],
  svg: ['image/svg+xml'],
  png: ['image/png'],
  'vega-lite': ['application/vnd.vegalite.v6+json', 'application/vnd.vegalite+json'],
  csv: ['text/csv'],
  tsv: ['text/tab-separated-values']
}

/** The Content-Type each form is sent with. */
const CONTENT_TYPES: Readonly<Record<ResultFormat, string>> = {
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
  'vega-lite': 'application/vnd.vegalite.v6+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  tsv: 'text/tab-separated-values; charset=utf-8'
}

/** The forms sent as downloads (`Content-Disposition: attachment`), with their file extensions. */
const DOWNLOADS: Partial<Record<ResultFormat, string>> = { svg: 'svg', png: 'png', csv: 'csv', tsv: 'tsv' }

const OFFERED = RESULT_FORMATS.map((format) => MEDIA_TYPES[format][0]).join(', ')

/** Every media type offered, in `RESULT_FORMATS` order (JSON first), and the form each stands for. */
const OFFERED_TYPES = RESULT_FORMATS.flatMap((format) => MEDIA_TYPES[format].map((mediaType) => [mediaType, format] as const))
const FORMAT_OF_TYPE = new Map<string, ResultFormat>(OFFERED_TYPES)

/**
 * The result forms an Accept header takes, best first (negotiator's order: weight, then how
 * specifically a type was asked for, then JSON first and the order of `RESULT_FORMATS`). No header
 * (or an empty one) takes JSON.
 */
export function acceptableFormats (header: string | undefined): ResultFormat[] {
  if (header === undefined || header.trim() === '') return ['json']
  const preferred = new Negotiator({ headers: { accept: header } }).mediaTypes(OFFERED_TYPES.map(([mediaType]) => mediaType))
  return [...new Set(preferred.map((mediaType) => FORMAT_OF_TYPE.get(mediaType) as ResultFormat))]
}

/** The forms a result has: JSON, its table (CSV, TSV) and, when it has a chart, SVG, PNG and Vega-Lite. */
function formsOf (result: { chart?: unknown }): ResultFormat[] {
  return RESULT_FORMATS.filter((format) => result.chart !== undefined || !['svg', 'png', 'vega-lite'].includes(format))
}

/** Options of the result routes. */
export interface ResultRoutesOptions {
  /** Draws a result's SVG, PNG, CSV and TSV the first time each is asked for. */
  renderer: () => Promise<ResultRenderer>
}

/** `GET /results/:id`: a finished job's result, as JSON, its chart (SVG, PNG, Vega-Lite) or its table (CSV, TSV). */
const resultRoutes: FastifyPluginAsyncTypebox<ResultRoutesOptions> = async (app, options) => {
  const analyses = analysesByName(true)
  /** Drawings under way, by `<id>:<form>`: concurrent first requests for one form share one drawing. */
  const drawing = new Map<string, Promise<string | Buffer | null>>()

  /** The stored result, parsed; throws the 404 for a result that has expired. */
  const storedResult = async (id: string): Promise<{ json: string, result: { summary: Record<string, unknown>, rows: Array<Record<string, unknown>>, chart?: Record<string, unknown> } }> => {
    const json = await app.results.get(id)
    if (json === null) throw new GenejobsError('RESULT_NOT_FOUND', `the result of job ${id} has expired`)
    return { json, result: JSON.parse(json) }
  }

  /** Throws the 404 for a form this result does not have (or for a result that has expired). */
  const missing = async (id: string, format: ResultFormat): Promise<never> => {
    const has = formsOf((await storedResult(id)).result).filter((f) => f !== format)
    throw new GenejobsError('RESULT_NOT_FOUND', `the result of job ${id} has no ${format} form: it is available as ${has.join(', ')}`)
  }

  app.get('/results/:id', {
    schema: {
      summary: "A job's result: 200 when complete, 202 while not yet, 409 when it failed",
      description: `The form is chosen by ?format= (${RESULT_FORMATS.join(', ')}), else by the Accept header ` +
        `(${OFFERED}); JSON by default. SVG, PNG, CSV and TSV come as downloads (Content-Disposition).`,
      params: JobParams,
      querystring: ResultQuery,
      response: {
        200: {
          description: 'the result in the form asked for',
          content: {
            'application/json': { schema: Type.Object({ summary: Type.Record(Type.String(), Type.Unknown()), rows: Type.Array(Type.Unknown()), chart: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: true }) },
            'application/vnd.vegalite.v6+json': { schema: Type.Record(Type.String(), Type.Unknown()) },
            'image/svg+xml': { schema: Type.String() },
            'image/png': { schema: Type.String({ description: 'binary PNG' }) },
            'text/csv': { schema: Type.String() },
            'text/tab-separated-values': { schema: Type.String() }
          }
        },
        202: ResultPending,
        ...errorResponses(400, 404, 406, 409, 503)
      }
    }
  }, async (request, reply) => {
    const { id } = request.params
    reply.header('vary', 'Accept')
    const job = await app.jobs.get(id)
    if (job === null) throw new GenejobsError('JOB_NOT_FOUND', `no job with id ${id}`)
    if (job.status === 'failed') throw new GenejobsError('JOB_FAILED', `job ${id} failed: ${job.error ?? 'unknown error'}`)
    if (job.status !== 'complete') throw new JobNotCompleteError(job.status, id)

    let format = request.query.format
    if (format === undefined) {
      const acceptable = acceptableFormats(request.headers.accept)
      if (acceptable.length === 0) throw new NotAcceptableError(`none of the types in Accept is offered: ask for one of ${OFFERED}, or use ?format=`)
      if (acceptable[0] !== 'json') {
        const forms = formsOf((await storedResult(id)).result)
        format = acceptable.find((candidate) => forms.includes(candidate))
        if (format === undefined) {
          const has = forms.map((f) => MEDIA_TYPES[f][0])
          throw new NotAcceptableError(`the result of job ${id} is not available as any type in Accept: it is available as ${has.join(', ')}`)
        }
      }
    }
    return await send(reply, id, job.analysis, format ?? 'json')
  })

  /** The form asked for: stored, drawn now (and kept with the result), or null when it has none. */
  async function read (id: string, analysis: string, format: ResultFormat): Promise<string | Buffer | null> {
    if (format === 'json') return await app.results.get(id)
    if (format === 'vega-lite') {
      const { chart } = (await storedResult(id)).result
      return chart === undefined ? null : JSON.stringify(chart)
    }
    const stored = format === 'png' ? await app.results.getPng(id) : await app.results.get(id, format)
    if (stored !== null) return stored
    const key = `${id}:${format}`
    let drawn = drawing.get(key)
    if (drawn === undefined) {
      drawn = draw(id, analysis, format).finally(() => drawing.delete(key))
      drawing.set(key, drawn)
    }
    return await drawn
  }

  /** Draws one form of a result and keeps it (and any form that came free) with the result. */
  async function draw (id: string, analysis: string, format: DrawnForm): Promise<string | Buffer | null> {
    const { result } = await storedResult(id)
    if (result.chart === undefined && (format === 'svg' || format === 'png')) return null
    const started = performance.now()
    const render = await options.renderer()
    const forms = await render(result, { id, analysis: { name: analysis, columns: analyses.get(analysis)?.columns } }, [format])
    await app.results.addForms(id, forms)
    app.log.info({ jobId: id, format, ms: Math.round(performance.now() - started) }, 'result form drawn')
    return forms[format] ?? null
  }

  async function send (reply: FastifyReply, id: string, analysis: string, format: ResultFormat): Promise<FastifyReply> {
    const payload = await read(id, analysis, format)
    if (payload === null) return await missing(id, format)
    if (format === 'json') return sendRawJson(reply, payload as string)
    const extension = DOWNLOADS[format]
    if (extension !== undefined) {
      const name = `${analysis.replace(/[^A-Za-z0-9_-]/g, '_')}-${id.slice(0, 8).toLowerCase()}.${extension}`
      reply.header('content-disposition', `attachment; filename="${name}"`)
    }
    return reply.type(CONTENT_TYPES[format]).send(payload)
  }
}

export default resultRoutes
