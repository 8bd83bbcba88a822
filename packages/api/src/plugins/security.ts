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
 * helmet's headers that guard only a document a browser renders (a page, an SVG opened as an
 * image): they say how to prefetch DNS, open downloads in old Internet Explorer, load Flash or
 * Acrobat cross-domain policies, run the retired XSS auditor, and group or isolate the document's
 * browsing context. OWASP's REST Security Cheat Sheet notes that such headers give an API's other
 * answers little or no protection; JSON answers go without them (about 180 bytes a response).
 */
const DOCUMENT_ONLY_HEADERS: readonly string[] = [
  'cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options',
  'x-permitted-cross-domain-policies', 'x-xss-protection'
]

/** The content types a browser renders as a document: they get every helmet header. */
const DOCUMENT_TYPE = /^\s*(text\/html|image\/svg\+xml)\b/i

/**
 * The security headers split: `everyResponse` (the content security policy, HSTS, `nosniff`,
 * `X-Frame-Options`, `Referrer-Policy`, `Cross-Origin-Resource-Policy`) and `documentsOnly`.
 */
export function splitSecurityHeaders (headers: Record<string, string> = securityHeaders()): { everyResponse: Record<string, string>, documentsOnly: Record<string, string> } {
  const everyResponse: Record<string, string> = {}
  const documentsOnly: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (DOCUMENT_ONLY_HEADERS.includes(name)) documentsOnly[name] = value
    else everyResponse[name] = value
  }
  return { everyResponse, documentsOnly }
}

/**
 * Security headers on every response (helmet; the API answers JSON, so the content security
 * policy allows nothing), helmet's document-only headers too on HTML and SVG answers, and CORS
 * only when origins are configured. Without CORS, browsers on other origins cannot read the API's
 * answers and preflight requests get a 404.
 */
export default fp<SecurityPluginOptions>(async function securityPlugin (app: FastifyInstance, options) {
  const { everyResponse, documentsOnly } = splitSecurityHeaders()
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(everyResponse)
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && DOCUMENT_TYPE.test(type)) reply.headers(documentsOnly)
    done(null, payload)
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
