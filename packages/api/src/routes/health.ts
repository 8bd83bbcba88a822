import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errorResponses } from '../schemas/error.js'
import { errorBody } from '../plugins/errors.js'

const Health = Type.Object({
  status: Type.Literal('ok'),
  redis: Type.Literal('up'),
  genes: Type.Integer({ description: 'how many genes are loaded' })
})

/** `GET /health`: 200 when Redis answers, 503 when it does not. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: {
      summary: 'Is the API up and can it reach Redis?',
      response: { 200: Health, ...errorResponses(503) }
    }
  }, async (request, reply) => {
    try {
      await app.stores.ping()
      return { status: 'ok' as const, redis: 'up' as const, genes: await app.genes.count() }
    } catch (err) {
      request.log.warn({ err }, 'health check: redis unavailable')
      return await reply.code(503).send(errorBody(503, 'Redis is unavailable'))
    }
  })
}

export default healthRoutes
