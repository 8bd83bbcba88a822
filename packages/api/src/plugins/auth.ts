import { BlockList } from 'node:net'
import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AdminTokenInvalidError, AdminTokenRequiredError, LoopbackOnlyError, MalformedAuthorizationError } from '../http-errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * `onRequest` hook of the admin routes (`POST /data`, `DELETE /data`, `POST /jobs/:id/retry`): lets a request through
     * only with `Authorization: Bearer <API_ADMIN_TOKEN>`, or, when no token is configured, only
     * from a loopback address. Runs before the body is read; throws the 401 or 403 otherwise.
     */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
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
    app.log.warn('API_ADMIN_TOKEN is not set: POST /data, DELETE /data and POST /jobs/:id/retry are allowed only from loopback (127.0.0.0/8, ::1); set it to allow them elsewhere with Authorization: Bearer <token>')
  }

  app.decorate('requireAdmin', async function requireAdmin (request: FastifyRequest, reply: FastifyReply) {
    const route = `${request.method} ${request.routeOptions.url ?? ''}`
    const header = request.headers.authorization
    if (expected === undefined) {
      if (isLoopbackAddress(request.socket.remoteAddress)) return
      request.log.warn({ remoteAddress: request.socket.remoteAddress }, 'admin route refused: not loopback and no API_ADMIN_TOKEN')
      throw new LoopbackOnlyError(route)
    }
    if (header === undefined || header === '') {
      reply.header('www-authenticate', 'Bearer realm="genejobs"')
      throw new AdminTokenRequiredError(route)
    }
    const token = bearerToken(header)
    if (token === undefined) {
      reply.header('www-authenticate', 'Bearer realm="genejobs", error="invalid_request"')
      throw new MalformedAuthorizationError()
    }
    if (!tokensMatch(token, expected)) {
      request.log.warn('admin route refused: wrong admin token')
      throw new AdminTokenInvalidError()
    }
  })
}, { name: 'genejobs-auth', dependencies: ['genejobs-errors'] })
