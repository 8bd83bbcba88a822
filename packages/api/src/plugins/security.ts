import fp from 'fastify-plugin'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'

/** Options of the security plugin. */
export interface SecurityPluginOptions {
  /** `CORS_ORIGIN`, split: origins allowed to call the API from a browser; empty means CORS is off. */
  corsOrigins: string[]
}

/** helmet's policy for a JSON-only API: the content security policy allows nothing. */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] }
  },
  frameguard: { action: 'deny' }
}

/**
 * The headers helmet sets for `options`, computed once. helmet (and @fastify/helmet around it)
 * rebuilds them on every request, which halved the API's throughput; our policy has no per-request
 * parts (no nonces), so the same headers can be sent every time.
 */
export function securityHeaders (options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string | number) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { Reflect.deleteProperty(headers, name.toLowerCase()) }
  } as unknown as ServerResponse
  let failure: unknown
  helmet(options)({} as IncomingMessage, response, (err?: unknown) => { failure = err })
  if (failure !== undefined) throw failure
  return headers
}

/**
 * Security headers on every response (helmet; the API serves only JSON, so the content security
 * policy allows nothing), and CORS only when origins are configured. Without CORS, browsers on
 * other origins cannot read the API's answers and preflight requests get a 404.
 */
export default fp<SecurityPluginOptions>(async function securityPlugin (app: FastifyInstance, options) {
  const headers = securityHeaders()
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers)
    done()
  })
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
      exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
      maxAge: 600
    })
  }
}, { name: 'genejobs-security' })
