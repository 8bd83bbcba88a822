import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifySchemaCompiler } from 'fastify'
import { analysesByName, jobRequestBody, validateJobRequest } from '@genejobs/analyses'
import { GenejobsError, type JobRequest } from '@genejobs/jobs-core'
import { NoGeneDataError } from '../http-errors.js'
import { errorResponses } from '../schemas/error.js'
import { JobList, JobListQuery, JobParams, JobResponse } from '../schemas/jobs.js'

/** Options of the job routes. */
export interface JobRoutesOptions {
  /** Accept the test-only analyses too (ENABLE_TEST_ANALYSES=true; never in production). */
  testAnalyses: boolean
}

/** `POST /jobs`, `GET /jobs`, `GET /jobs/:id`. */
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

  app.post('/jobs', {
    config: { rateLimit: app.rateLimits.jobSubmissions },
    schema: {
      summary: 'Submit an analysis job; it is queued at once and run by a worker',
      body: jobRequestBody(accepted.values()),
      response: { 201: JobResponse, ...errorResponses(400, 409, 413, 415, 429, 503, 507) }
    },
    validatorCompiler: jobRequestValidator
  }, async (request, reply) => {
    // Every analysis reads the gene data: a job submitted before any load could only fail. (Data
    // deleted after submission still fails the job in the worker.)
    if (await app.genes.currentVersion() === null) throw new NoGeneDataError()
    // The validator returned the normalised request, the default analysis filled in.
    const job = await app.jobs.create(request.body as JobRequest)
    request.log.info({ jobId: job.id, analysis: job.analysis }, 'job submitted')
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
}

export default jobRoutes
