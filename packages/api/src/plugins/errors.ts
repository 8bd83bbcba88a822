import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { isGenejobsError, isRedisUnavailable, type ErrorCode } from '@genejobs/jobs-core'

/** The HTTP status each jobs-core error code is answered with: the one table of that mapping. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_ID: 400,
  INVALID_JOB: 400,
  GENE_NOT_FOUND: 404,
  NO_DATA: 404,
  JOB_NOT_FOUND: 404,
  RESULT_NOT_FOUND: 404,
  LOAD_IN_PROGRESS: 409,
  JOB_FAILED: 409,
  INVALID_TRANSITION: 409,
  JOB_NOT_COMPLETE: 202,
  SOURCE_MALFORMED: 422,
  SOURCE_UNREACHABLE: 502,
  REDIS_UNAVAILABLE: 503,
  UNRECOVERABLE: 500
}

/** Builds the one error body shape: `{ statusCode, error, message }`. */
export function errorBody (statusCode: number, message: string) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/**
 * One root error handler for the whole API: validation errors and other 4xx keep their message,
 * jobs-core errors are mapped by code, Redis outages become 503, anything else is logged with its
 * cause and answered with a generic 500 (internal messages never reach the client).
 */
export default fp(async function errorsPlugin (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isGenejobsError(err)) {
      const status = STATUS_BY_CODE[err.code]
      if (status >= 500) request.log.error({ err }, 'request failed')
      return reply.code(status).send(errorBody(status, err.message))
    }
    if (isRedisUnavailable(err)) {
      request.log.warn({ err }, 'redis unavailable')
      return reply.code(503).header('retry-after', '5').send(errorBody(503, 'Redis is unavailable; try again shortly'))
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) {
      request.log.error({ err }, 'unexpected error')
      return reply.code(500).send(errorBody(500, 'Internal Server Error'))
    }
    return reply.code(status).send(errorBody(status, err.message))
  })
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `Route ${request.method} ${request.url.split('?')[0] ?? ''} not found`))
  })
}, { name: 'genejobs-errors' })
