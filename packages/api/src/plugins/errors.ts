import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { isGenejobsError, isRedisOutOfMemory, isRedisUnavailable, type ErrorCode } from '@genejobs/jobs-core'
import { JobNotCompleteError } from '../http-errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route's 415 message tells the client to send instead; `application/json` by default. */
    mediaTypes?: string
  }
}

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
  JOB_NOT_FAILED: 409,
  JOB_NOT_COMPLETE: 202,
  SOURCE_MALFORMED: 422,
  SOURCE_UNREACHABLE: 502,
  REDIS_UNAVAILABLE: 503,
  UNRECOVERABLE: 500
}

/** Builds the one error body shape: `{ statusCode, error, message }` (only this plugin sends it). */
function errorBody (statusCode: number, message: string) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/** Request text (a URL, a header) quoted for a message: escaped, and cut at `max` characters. */
function quote (text: string, max = 100): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text)
}

/** Clearer messages for the 4xx errors Fastify raises itself while reading a request. */
function fastifyMessage (err: FastifyError, request: FastifyRequest): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type']
      return `${type === undefined ? 'a body without a Content-Type' : `Content-Type ${quote(type)}`} is not supported: send ${request.routeOptions.config?.mediaTypes ?? 'application/json'}`
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body is larger than the limit of ${request.routeOptions.bodyLimit ?? 'BODY_LIMIT'} bytes (BODY_LIMIT)`
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'body size does not match Content-Length'
    default:
      return err.message
  }
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a URL that cannot be decoded, a
 * path parameter over `maxParamLength`) get the same `{ statusCode, error, message }` body.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
  const message = err.code === 'FST_ERR_BAD_URL'
    ? 'the URL is not valid: it has malformed percent-encoding'
    : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is too long'
      : status === 500 ? 'Internal Server Error' : err.message
  if (status === 500) request.log.error({ err }, 'unexpected framework error')
  reply.code(status).send(errorBody(status, message))
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses (a null byte or raw non-ASCII
 * byte in the URL, a control character in a header, Content-Length with Transfer-Encoding, ...) are
 * answered with the same error body, then the connection is closed.
 */
export function clientErrorHandler (err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, message] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'the request did not arrive in time']
    : err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request line and headers are too large']
      : [400, `the request is not valid HTTP${err.code !== undefined ? ` (${err.code})` : ''}`]
  const body = JSON.stringify(errorBody(status, message))
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

/**
 * One root error handler for the whole API: hooks and handlers throw, this answers. Validation
 * errors and the API's own coded 4xx errors (http-errors.ts) keep their status and message,
 * jobs-core errors are mapped by code (a job not complete yet is the 202 `{ status, message }`),
 * Redis outages become 503, anything else is logged with its cause and answered with a generic 500
 * (internal messages never reach the client).
 */
export default fp(async function errorsPlugin (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isGenejobsError(err)) {
      const status = STATUS_BY_CODE[err.code]
      if (err instanceof JobNotCompleteError) return reply.code(status).send({ status: err.jobStatus, message: err.message })
      if (err.code === 'REDIS_UNAVAILABLE') request.log.warn({ err }, 'redis unavailable')
      else if (status >= 500) request.log.error({ err }, 'request failed')
      return reply.code(status).send(errorBody(status, err.message))
    }
    if (isRedisOutOfMemory(err)) {
      request.log.error({ err }, 'redis is out of memory')
      return reply.code(507).header('retry-after', '60').send(errorBody(507,
        'Redis is out of memory (it reached its maxmemory limit) and refused the write; nothing was stored. ' +
        'Free memory (delete old data or results, or let finished jobs expire) or raise Redis\' maxmemory, then try again'))
    }
    if (isRedisUnavailable(err)) {
      request.log.warn({ err }, 'redis unavailable')
      return reply.code(503).header('retry-after', '5').send(errorBody(503, 'Redis is unavailable; try again shortly'))
    }
    // Fastify's own 4xx keep their status, and so do the API's coded errors (http-errors.ts), 503 included.
    const coded = typeof err.code === 'string' && err.code.startsWith('GENEJOBS_')
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && (err.statusCode < 500 || coded) ? err.statusCode : 500
    if (status === 500) {
      request.log.error({ err }, 'unexpected error')
      return reply.code(500).send(errorBody(500, 'Internal Server Error'))
    }
    return reply.code(status).send(errorBody(status, fastifyMessage(err, request)))
  })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    reply.code(404).send(errorBody(404, `Route ${request.method} ${path.length > 200 ? `${path.slice(0, 200)}...` : path} not found`))
  })
}, { name: 'genejobs-errors' })
