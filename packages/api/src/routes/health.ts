import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { GenejobsError } from '@genejobs/jobs-core'
import { ShuttingDownError } from '../http-errors.js'
import { errorResponses } from '../schemas/error.js'

const Health = Type.Object({
  status: Type.Literal('ok'),
  redis: Type.Literal('up'),
  genes: Type.Integer({ description: 'how many genes are loaded' })
})

const Live = Type.Object({ status: Type.Literal('ok') })

const Ready = Type.Object({
  status: Type.Literal('ready'),
  redis: Type.Literal('up')
})

/**
 * `GET /health`: 200 when Redis answers, 503 when it does not. `GET /health/live`: the process
 * runs (a liveness probe: never touches Redis, so an outage does not restart every API process).
 * `GET /health/ready`: Redis answers and the process is not shutting down (a readiness probe).
 */
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

  app.get('/health/live', {
    schema: { summary: 'Is the API process running? (liveness probe)', response: { 200: Live } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/health/ready', {
    schema: {
      summary: 'Should the API get traffic? Redis answers and it is not shutting down (readiness probe)',
      response: { 200: Ready, ...errorResponses(503) }
    }
  }, async () => {
    if (app.lifecycle.shuttingDown) throw new ShuttingDownError()
    try {
      await app.stores.ping()
    } catch (err) {
      throw new GenejobsError('REDIS_UNAVAILABLE', 'Redis is unavailable', { cause: err })
    }
    return { status: 'ready' as const, redis: 'up' as const }
  })
}

export default healthRoutes
