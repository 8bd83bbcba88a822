import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { GenejobsError } from '@genejobs/jobs-core'
import { errorResponses } from '../schemas/error.js'
import { JobEventStream, JobParams } from '../schemas/jobs.js'

/** `GET /jobs/:id/events`: a job's states as Server-Sent Events. */
const jobEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/jobs/:id/events', {
    schema: {
      summary: 'Live job events (Server-Sent Events): the current state, then one event per status or progress change; ends when the job is complete or failed',
      params: JobParams,
      response: { 200: JobEventStream, ...errorResponses(400, 404, 503) }
    }
  }, async (request, reply) => {
    const id = request.params.id.toLowerCase()
    const stream = await app.jobEvents.open(id, request.log)
    if (stream === null) throw new GenejobsError('JOB_NOT_FOUND', `no job with id ${id}`)
    // The response schema documents the stream; the cast only tells the type provider it is one.
    return await reply
      .type('text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(stream as never)
  })
}

export default jobEventRoutes
