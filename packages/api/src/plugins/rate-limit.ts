import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'

/** Options of the rate-limit plugin: requests per minute per client IP, 0 for no limit. */
export interface RateLimitPluginOptions {
  /** `RATE_LIMIT_JOBS_PER_MINUTE`: job submissions. */
  jobsPerMinute: number
  /** `RATE_LIMIT_HEAVY_PER_MINUTE`: heavy reads, counted together. */
  heavyPerMinute: number
}

/** The routes each limit covers (`METHOD /url`); HEAD requests count as the GET they mirror. */
export const RATE_LIMITED_ROUTES = {
  jobs: ['POST /jobs'],
  heavy: ['GET /data', 'GET /genes']
} as const

const WINDOW_MS = 60_000

/** A 429 error for the root error handler; `Retry-After` is already set on the reply. */
function tooManyRequests (what: string, max: number, ttlMs: number): Error {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000))
  return Object.assign(
    new Error(`too many requests: at most ${max} ${what} per minute per client; retry in ${seconds} second${seconds === 1 ? '' : 's'}`),
    { statusCode: 429 }
  )
}

/**
 * Per-client-IP rate limits on job submission and on heavy reads, with `@fastify/rate-limit`'s
 * in-memory store (counts are per API process). Over the limit a request gets 429 with
 * `Retry-After` and the usual `{ statusCode, error, message }` body, before its body is read.
 * The client is the TCP peer (`request.ip`; `trustProxy` is off).
 */
export default fp<RateLimitPluginOptions>(async function rateLimitPlugin (app: FastifyInstance, options) {
  await app.register(rateLimit, { global: false, hook: 'onRequest' })

  const hooks = new Map<string, onRequestHookHandler>()
  const limit = (routes: readonly string[], max: number, what: string) => {
    if (max === 0) return
    const hook = app.rateLimit({
      max,
      timeWindow: WINDOW_MS,
      errorResponseBuilder: (_request, context) => tooManyRequests(what, context.max, context.ttl)
    }) as (request: FastifyRequest, reply: FastifyReply) => Promise<void>
    // One hook (one counter) shared by every route of the group.
    for (const route of routes) hooks.set(route, hook as unknown as onRequestHookHandler)
  }
  limit(RATE_LIMITED_ROUTES.jobs, options.jobsPerMinute, 'job submissions (POST /jobs)')
  limit(RATE_LIMITED_ROUTES.heavy, options.heavyPerMinute, 'heavy reads (GET /data and GET /genes together)')

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      const hook = hooks.get(`${method === 'HEAD' ? 'GET' : method} ${route.url}`)
      if (hook === undefined) continue
      const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
      // A HEAD route may be copied from its GET route after this hook already ran on it.
      if (!existing.includes(hook)) route.onRequest = [hook, ...existing]
      return
    }
  })
}, { name: 'genejobs-rate-limit', dependencies: ['genejobs-errors'] })
