import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { GenejobsError } from '@genejobs/jobs-core'
import { errorBody } from '../../plugins/errors.js'
import { errorResponses } from '../../schemas/error.js'
import { JobParams, ResultPending } from '../../schemas/jobs.js'
import { sendRawJson } from '../../raw-json.js'

/** `GET /results/:id`: a finished job's result. */
const resultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/results/:id', {
    schema: {
      summary: "A job's result: 200 when complete, 202 while not yet, 409 when it failed",
      params: JobParams,
      response: {
        200: Type.Object({ summary: Type.Record(Type.String(), Type.Unknown()), rows: Type.Array(Type.Unknown()) }, { additionalProperties: true }),
        202: ResultPending,
        ...errorResponses(400, 404, 409, 503)
      }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const job = await app.jobs.get(id)
    if (job === null) throw new GenejobsError('JOB_NOT_FOUND', `no job with id ${id}`)
    if (job.status === 'failed') return await reply.code(409).send(errorBody(409, `job ${id} failed: ${job.error ?? 'unknown error'}`))
    if (job.status !== 'complete') return await reply.code(202).send({ status: job.status, message: `job ${id} is not complete yet` })
    const result = await app.results.get(id)
    if (result === null) throw new GenejobsError('RESULT_NOT_FOUND', `the result of job ${id} has expired`)
    return sendRawJson(reply, result)
  })
}

export default resultRoutes
