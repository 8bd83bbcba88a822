import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../schemas/error.js'
import { QueueStatusResponse } from '../schemas/queue.js'

/** `GET /queue`: the queue at a glance, for operators. */
const queueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/queue', {
    schema: {
      summary: 'Queue depth, jobs in progress and delayed, workers with their heartbeat age, recent failed jobs',
      response: { 200: QueueStatusResponse, ...errorResponses(503) }
    }
  }, async () => await app.jobs.status())
}

export default queueRoutes
