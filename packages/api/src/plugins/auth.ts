import { BlockList } from 'node:net'
import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * `onRequest` hook of the admin routes (`POST /data`, `DELETE /data`): lets a request through
     * only with `Authorization: Bearer <API_ADMIN_TOKEN>`, or, when no token is configured, only
     * from a loopback address. Runs before the body is read.
     */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>
  }
}

/** Options of the auth plugin. */
export interface AuthPluginOptions {
  /** The admin token (`API_ADMIN_TOKEN`); absent means admin routes are loopback-only. */
  adminToken?: string
}

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

/**
 * Whether a socket's remote address is a loopback address: 127.0.0.0/8, `::1`, or an IPv4-mapped
 * `::ffff:127.x.x.x`. Only the TCP peer counts; forwarding headers are never looked at.
 */
export function isLoopbackAddress (address: string | undefined): boolean {
  if (address === undefined || address === '') return false
  try {
    return address.includes(':') ? loopback.check(address, 'ipv6') : loopback.check(address, 'ipv4')
  } catch {
    return false // not an IP address at all
  }
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

/**
 * Compares a presented token with the expected one in constant time. Both sides are hashed with
 * SHA-256 first, so the comparison always runs on 32 bytes and the token's length does not leak.
 */
export function tokensMatch (given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected))
}

/** `Bearer <token>` (scheme case-insensitive, RFC 6750); undefined when the header is not that. */
export function bearerToken (header: string | undefined): string | undefined {
  const match = /^Bearer +([!-~]+) *$/i.exec(header ?? '')
  return match?.[1]
}

/** Decorates the app with `requireAdmin`, and warns at start-up when no admin token is set. */
export default fp<AuthPluginOptions>(async function authPlugin (app: FastifyInstance, options) {
  const expected = options.adminToken
  if (expected === undefined) {
    app.log.warn('API_ADMIN_TOKEN is not set: POST /data and DELETE /data are allowed only from loopback (127.0.0.0/8, ::1); set it to allow them elsewhere with Authorization: Bearer <token>')
  }

  app.decorate('requireAdmin', async function requireAdmin (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization
    if (expected === undefined) {
      if (isLoopbackAddress(request.socket.remoteAddress)) return undefined
      request.log.warn({ remoteAddress: request.socket.remoteAddress }, 'admin route refused: not loopback and no API_ADMIN_TOKEN')
      return await reply.code(403).send(errorBody(403, `${request.method} ${request.routeOptions.url ?? ''} is allowed only from loopback because API_ADMIN_TOKEN is not set`))
    }
    if (header === undefined || header === '') {
      return await reply.code(401).header('www-authenticate', 'Bearer realm="genejobs"')
        .send(errorBody(401, `${request.method} ${request.routeOptions.url ?? ''} needs the admin token: send Authorization: Bearer <API_ADMIN_TOKEN>`))
    }
    const token = bearerToken(header)
    if (token === undefined) {
      return await reply.code(401).header('www-authenticate', 'Bearer realm="genejobs", error="invalid_request"')
        .send(errorBody(401, 'the Authorization header must be "Bearer <token>"'))
    }
    if (!tokensMatch(token, expected)) {
      request.log.warn('admin route refused: wrong admin token')
      return await reply.code(403).send(errorBody(403, 'the admin token is not valid'))
    }
    return undefined
  })
}, { name: 'genejobs-auth', dependencies: ['genejobs-errors'] })
