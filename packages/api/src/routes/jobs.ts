import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { analysesByName, jobRequestBody, UPLOAD_MAX_IDENTIFIERS, validateJobRequest } from '@genejobs/analyses'
import { GenejobsError, type JobRequest } from '@genejobs/jobs-core'
import { NoGeneDataError } from '../http-errors.js'
import { errorResponses } from '../schemas/error.js'
import { JobList, JobListQuery, JobParams, JobResponse } from '../schemas/jobs.js'
import { readJobForm } from '../uploads/job-form.js'

/** The largest uploaded file, as sent and once decompressed: 20 MB. */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024

/** Options of the job routes. */
export interface JobRoutesOptions {
  /** Accept the test-only analyses too (ENABLE_TEST_ANALYSES=true; never in production). */
  testAnalyses: boolean
}

/** `POST /jobs`, `GET /jobs`, `GET /jobs/:id`, `POST /jobs/:id/retry`. */
const jobRoutes: FastifyPluginAsyncTypebox<JobRoutesOptions> = async (app, options) => {
  const accepted = analysesByName(options.testAnalyses)
  /**
   * The body validator of `POST /jobs`: each analysis's own schema (picked by `analysis`, default
   * `approval-timeline`) and normalisation, with one message naming the field and the rule (the
   * same messages the worker gives, there as `params/...`). The handler gets the normalised request.
   */
  const jobRequestValidator: FastifySchemaCompiler<unknown> = () => (body) => {
    try {
      return { value: validateJobRequest(body, 'body', accepted) }
    } catch (err) {
      return { error: err as Error }
    }
  }

  // `multipart/form-data` uploads, for this route only (other routes still take JSON alone).
  await app.register(multipart, { limits: { fileSize: UPLOAD_MAX_BYTES } })
  /** What an upload's job shows as `params` instead of its identifiers, by request. */
  const uploadSummaries = new WeakMap<FastifyRequest, Record<string, unknown>>()

  app.post('/jobs', {
    config: { rateLimit: app.rateLimits.jobSubmissions, mediaTypes: 'application/json, or multipart/form-data to upload a file' },
    schema: {
      summary: 'Submit an analysis job (JSON, or a file of identifiers as multipart/form-data); it is queued at once and run by a worker',
      body: jobRequestBody(accepted.values()),
      response: { 201: JobResponse, ...errorResponses(400, 409, 413, 415, 429, 503, 507) }
    },
    // An upload is read (streamed, within its limits) into the request a JSON body would be, which
    // the validator below then checks the same way, with the same messages.
    preValidation: async (request) => {
      if (!request.isMultipart()) return
      const form = await readJobForm(request, accepted, { maxBytes: UPLOAD_MAX_BYTES, maxIdentifiers: UPLOAD_MAX_IDENTIFIERS })
      request.body = form.request as JobRequest
      uploadSummaries.set(request, form.shown)
    },
    validatorCompiler: jobRequestValidator
  }, async (request, reply) => {
    // Every analysis reads the gene data: a job submitted before any load could only fail. (Data
    // deleted after submission still fails the job in the worker.)
    if (await app.genes.currentVersion() === null) throw new NoGeneDataError()
    // The validator returned the normalised request, the default analysis filled in. An upload's
    // job shows a summary of the file as its params; its identifiers are kept in the record's input.
    const job = await app.jobs.create(request.body as JobRequest, uploadSummaries.get(request))
    request.log.info({ jobId: job.id, analysis: job.analysis, upload: uploadSummaries.has(request) }, 'job submitted')
    return await reply.code(201).header('location', `/jobs/${job.id}`).send(job)
  })

  app.get('/jobs', {
    schema: {
      summary: 'Job ids, newest first',
      querystring: JobListQuery,
      response: { 200: JobList, ...errorResponses(400, 503) }
    }
  }, async (request) => {
    const { status, limit } = request.query
    return { jobs: await app.jobs.list({ limit, ...(status !== undefined ? { status } : {}) }) }
  })

  app.get('/jobs/:id', {
    schema: {
      summary: 'One job: status, parameters, times, progress, error',
      params: JobParams,
      response: { 200: JobResponse, ...errorResponses(400, 404, 503) }
    }
  }, async (request) => {
    const job = await app.jobs.get(request.params.id)
    if (job === null) throw new GenejobsError('JOB_NOT_FOUND', `no job with id ${request.params.id}`)
    return job
  })

  // Admin: the token (or loopback) is checked in onRequest, before anything else.
  app.post('/jobs/:id/retry', {
    onRequest: app.requireAdmin,
    config: { rateLimit: app.rateLimits.jobSubmissions },
    schema: {
      summary: 'Queue a failed job again, with a fresh set of attempts (admin)',
      params: JobParams,
      response: { 200: JobResponse, ...errorResponses(400, 401, 403, 404, 409, 429, 503) }
    }
  }, async (request) => {
    const job = await app.jobs.retry(request.params.id)
    request.log.info({ jobId: job.id, analysis: job.analysis }, 'failed job queued again')
    return job
  })
}

export default jobRoutes
