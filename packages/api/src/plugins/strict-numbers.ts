import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { BadRequestError } from '../http-errors.js'

/** The part of a route's querystring or params schema this plugin reads. */
interface ObjectSchema {
  properties?: Record<string, { type?: unknown, description?: string }>
}

const WRITTEN_AS = {
  integer: { pattern: /^-?\d+$/, words: 'a whole number written in digits' },
  number: { pattern: /^-?\d+(\.\d+)?$/, words: 'a number written in digits' }
} as const

/**
 * The first query or path parameter declared as a number whose text is not plainly written in
 * digits; undefined when all are. AJV's coercion would otherwise accept `0x10`, `1e3`, ` 1` and
 * even `Infinity` (which passes `maximum` and reaches Redis).
 */
export function checkNumberSyntax (request: Pick<FastifyRequest, 'query' | 'params' | 'routeOptions'>): string | undefined {
  const schema = request.routeOptions.schema as { querystring?: ObjectSchema, params?: ObjectSchema } | undefined
  for (const [part, values, declared] of [
    ['querystring', request.query, schema?.querystring],
    ['params', request.params, schema?.params]
  ] as const) {
    for (const [name, property] of Object.entries(declared?.properties ?? {})) {
      const rule = property.type === 'integer' || property.type === 'number' ? WRITTEN_AS[property.type] : undefined
      const value = (values as Record<string, unknown> | undefined)?.[name]
      if (rule === undefined || typeof value !== 'string' || rule.pattern.test(value)) continue
      return `${part}/${name} must be ${rule.words}${property.description !== undefined ? ` (${property.description})` : ''}`
    }
  }
  return undefined
}

function declaresNumbers (schema: ObjectSchema | undefined): boolean {
  return Object.values(schema?.properties ?? {}).some((property) => property.type === 'integer' || property.type === 'number')
}

/**
 * Numbers in query strings and paths must be written plainly: a `preValidation` hook refuses
 * anything else with 400 before the schema (and its type coercion) sees it. The hook is added only
 * to routes that declare numeric query or path parameters, so other requests pay nothing.
 */
export default fp(async function strictNumbersPlugin (app: FastifyInstance) {
  const hook = async (request: FastifyRequest) => {
    const problem = checkNumberSyntax(request)
    if (problem !== undefined) throw new BadRequestError(problem)
  }
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { querystring?: ObjectSchema, params?: ObjectSchema } | undefined
    if (!declaresNumbers(schema?.querystring) && !declaresNumbers(schema?.params)) return
    const existing = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]
    route.preValidation = [hook, ...existing]
  })
}, { name: 'genejobs-strict-numbers' })
