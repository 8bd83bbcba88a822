import type { FastifySchemaValidationError } from 'fastify'
import { BadRequestError, PathNotFoundError } from './http-errors.js'

/**
 * AJV options for the route validators. `verbose` gives each error its schema (so messages can use
 * the field's `description`); `removeAdditional: false` makes `additionalProperties: false` reject
 * unknown fields and query parameters instead of silently dropping them (Fastify's default);
 * `coerceTypes: true` still turns query strings into numbers but, unlike Fastify's default
 * `'array'`, never unwraps a one-item array into the scalar a schema asks for.
 */
export const AJV_OPTIONS = { verbose: true, removeAdditional: false, coerceTypes: true } as const

/** The part of a schema a message is built from. */
interface SchemaHints {
  description?: string
  properties?: Record<string, { description?: string }>
}

/** What AJV adds to an error with `verbose: true`. */
type VerboseError = FastifySchemaValidationError & { parentSchema?: SchemaHints }

const TYPE_NAMES: Record<string, string> = {
  object: 'a JSON object',
  array: 'an array',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'null'
}

/** Field names from a request can be anything: keep them short and printable in messages. */
function shorten (name: string): string {
  const printable = JSON.stringify(name).slice(1, -1)
  return printable.length > 64 ? `${printable.slice(0, 61)}...` : printable
}

/**
 * One validation error as one sentence naming the field and its rule, e.g.
 * `params/hgnc_id must be HGNC:<number>, hgnc:<number> or <number>`. Values from the request are
 * never echoed (only short, escaped field names).
 */
export function explainValidationError (error: FastifySchemaValidationError, dataVar: string): string {
  const { parentSchema } = error as VerboseError
  const path = `${dataVar}${error.instancePath}`
  const rule = parentSchema?.description
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = shorten(String(params['additionalProperty'] ?? ''))
      const allowed = Object.keys(parentSchema?.properties ?? {})
      const kind = dataVar === 'querystring' ? 'parameter' : 'field'
      return allowed.length > 0
        ? `${path}/${name} is not an accepted ${kind}: the ${kind}s are ${allowed.join(', ')}`
        : `${path}/${name} is not an accepted ${kind}: ${path} takes none`
    }
    case 'required': {
      const missing = String(params['missingProperty'] ?? '')
      const missingRule = parentSchema?.properties?.[missing]?.description
      return `${path}/${missing} is required${missingRule !== undefined ? `: ${missingRule}` : ''}`
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[] | undefined) ?? []
      return `${path} must be one of: ${allowed.map((value) => JSON.stringify(value)).join(', ')}`
    }
    case 'pattern':
    case 'format':
    case 'minLength':
    case 'maxLength':
      // The description states the whole rule, lengths included.
      return rule !== undefined ? `${path} must be ${rule}` : `${path} ${error.message ?? 'is not in the accepted format'}`
    case 'type': {
      const expected = String(params['type'] ?? '')
      return `${path} must be ${TYPE_NAMES[expected] ?? expected}${rule !== undefined ? ` (${rule})` : ''}`
    }
    default:
      return `${path} ${error.message ?? 'is invalid'}${rule !== undefined ? ` (${rule})` : ''}`
  }
}

/**
 * Fastify's `schemaErrorFormatter`: an error whose message explains the first problem (AJV stops
 * at the first one). The root error handler sends it as `{ statusCode, error, message }`. A bad path
 * parameter is a 404 (such a path names no resource, and HTTP clients treat it so), except a
 * choice outside a fixed list (`/fetch/<unknown field>/...`), which is a bad request whose message
 * lists the choices; bad query strings, bodies and headers are 400.
 */
export function formatValidationErrors (errors: FastifySchemaValidationError[], dataVar: string): Error {
  const [first] = errors
  const message = first === undefined ? `${dataVar} is invalid` : explainValidationError(first, dataVar)
  return dataVar === 'params' && first?.keyword !== 'enum' ? new PathNotFoundError(message) : new BadRequestError(message)
}
