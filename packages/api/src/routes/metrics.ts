import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

/**
 * `GET /metrics`: Prometheus text format. Cheap (a few Redis reads of constant cost) and not rate
 * limited, for the Prometheus server to scrape; it is not meant for the public (see the README).
 */
const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics: requests, jobs, queue, workers, gene data, Redis',
      response: {
        200: {
          description: 'Prometheus text exposition format 0.0.4',
          content: { 'text/plain': { schema: Type.String() } }
        }
      }
    }
  }, async (_request, reply) => {
    const text = await app.metrics.scrape()
    return await reply.type(app.metrics.registry.contentType).send(text)
  })
}

export default metricsRoutes
