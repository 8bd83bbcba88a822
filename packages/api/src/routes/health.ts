import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { GenejobsError } from '@genejobs/jobs-core'
import { errorResponses } from '../schemas/error.js'

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
  }, async () => {
    try {
      await app.stores.ping()
      return { status: 'ok' as const, redis: 'up' as const, genes: await app.genes.count() }
    } catch (err) {
      // Any failure here means the API cannot serve data: report Redis as down, keep the cause for the log.
      throw new GenejobsError('REDIS_UNAVAILABLE', 'Redis is unavailable', { cause: err })
    }
  })
}

export default healthRoutes
