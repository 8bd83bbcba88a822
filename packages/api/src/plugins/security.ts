import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'

/** Options of the security plugin. */
export interface SecurityPluginOptions {
  /** `CORS_ORIGIN`, split: origins allowed to call the API from a browser; empty means CORS is off. */
  corsOrigins: string[]
}

/**
 * Security headers on every response (helmet; the API serves only JSON, so the content security
 * policy allows nothing), and CORS only when origins are configured. Without CORS, browsers on
 * other origins cannot read the API's answers and preflight requests get a 404.
 */
export default fp<SecurityPluginOptions>(async function securityPlugin (app: FastifyInstance, options) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] }
    },
    frameguard: { action: 'deny' }
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
