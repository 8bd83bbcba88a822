import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { BadRequestError, UnsupportedCharsetError, UnsupportedEncodingError } from '../http-errors.js'

/** The `charset` parameter of a Content-Type header, lower-cased; undefined when there is none. */
export function charsetOf (contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '')
  return match?.[2]?.toLowerCase()
}

const MAX_DETAIL = 160
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Request bodies: JSON only, strictly UTF-8. Every other media type (Fastify's `text/plain`
 * included) is refused with 415 before the body is read; a charset other than UTF-8 is 415 too;
 * bytes that are not UTF-8 are 400 "body is not valid UTF-8"; bad JSON is 400 "body is not valid
 * JSON: <why>"; `__proto__` and `constructor.prototype` keys are refused (Fastify's secure parser).
 * The body limit (`BODY_LIMIT`) applies as it does to Fastify's own parsers. A compressed body
 * (`Content-Encoding` other than `identity`) is refused with 415 before it is read.
 */
export default fp(async function bodyParsersPlugin (app: FastifyInstance) {
  app.addHook('onRequest', (request, reply, done) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase()
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      done(new UnsupportedEncodingError(JSON.stringify(encoding.slice(0, 40))))
      return
    }
    done()
  })
  const secureParse = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = charsetOf(request.headers['content-type'])
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(new UnsupportedCharsetError(JSON.stringify(charset.slice(0, 40))), undefined)
      return
    }
    if (body.length === 0) {
      done(new BadRequestError('body is empty but Content-Type is application/json: send a JSON value'), undefined)
      return
    }
    let text: string
    try {
      text = strictUtf8.decode(body as Buffer)
    } catch {
      done(new BadRequestError('body is not valid UTF-8'), undefined)
      return
    }
    secureParse(request, text, (err, value) => {
      if (err === null) {
        done(null, value)
        return
      }
      try {
        JSON.parse(text)
      } catch (syntax) {
        const detail = syntax instanceof Error ? syntax.message : String(syntax)
        done(new BadRequestError(`body is not valid JSON: ${detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}...` : detail}`), undefined)
        return
      }
      done(new BadRequestError('body must not contain "__proto__" or "constructor.prototype" keys'), undefined)
    })
  })
}, { name: 'genejobs-body-parsers' })
