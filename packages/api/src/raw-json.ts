import type { FastifyReply } from 'fastify'

/**
 * Sends text that already is JSON (a stored gene record, a stream of them) without re-serialising
 * it: Fastify passes strings and streams through untouched, so 64-bit integers such as
 * `_version_` reach the client exactly as stored. The route's response schema still documents
 * the shape; the cast only tells the type provider the payload is pre-serialised.
 */
export function sendRawJson (reply: FastifyReply, payload: string | NodeJS.ReadableStream): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(payload as never)
}
