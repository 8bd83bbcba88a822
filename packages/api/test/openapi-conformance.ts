import Ajv2020 from 'ajv/dist/2020.js'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { OpenAPIV3_1 as OpenApi } from 'openapi-types'
import type { Test } from 'tap'

/** The document's path template as a regular expression over request paths (`{id}` is one segment). */
function pathPattern (template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('[^/]+')}$`)
}

/** Whether a media type is JSON (`application/json` or `application/<something>+json`). */
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json')

/**
 * Checks real responses against the OpenAPI document the app serves: `check` injects a request,
 * finds the operation the document declares for its method and path, and asserts that the status
 * is declared, that the Content-Type is one declared for that status, and, for JSON bodies, that
 * the body validates (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses) against the declared schema.
 */
export class Conformance {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  readonly #operations: Array<{ method: string, template: string, pattern: RegExp, operation: OpenApi.OperationObject }> = []
  readonly #validators = new Map<string, ReturnType<Ajv2020['compile']>>()
  /** Every `METHOD /template STATUS` a checked response had, for coverage assertions. */
  readonly seen = new Set<string>()

  constructor (readonly app: FastifyInstance, readonly document: OpenApi.Document) {
    // Static paths before templated ones, so /data/info is not taken for a /data/{x}.
    const paths = Object.entries(document.paths ?? {}).sort(([a], [b]) => Number(a.includes('{')) - Number(b.includes('{')))
    for (const [template, item] of paths) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        if (typeof operation === 'object' && operation !== null && 'responses' in operation) {
          this.#operations.push({ method: method.toUpperCase(), template, pattern: pathPattern(template), operation: operation as OpenApi.OperationObject })
        }
      }
    }
  }

  /** The operation the document declares for a request, or undefined. */
  operationOf (method: string, url: string) {
    const path = url.split('?')[0] ?? ''
    return this.#operations.find((candidate) => candidate.method === method && candidate.pattern.test(path))
  }

  /** Injects `request` and checks the response against the document (see the class comment). */
  async check (t: Test, request: InjectOptions & { url: string }): Promise<LightMyRequestResponse> {
    const method = (request.method ?? 'GET').toUpperCase()
    const response = await this.app.inject(request)
    const what = `${method} ${request.url.slice(0, 80)} -> ${response.statusCode}`
    const found = this.operationOf(method, request.url)
    if (found === undefined) {
      t.fail(`${what}: no operation in the document`)
      return response
    }
    const declared = found.operation.responses?.[String(response.statusCode)] as OpenApi.ResponseObject | undefined
    this.seen.add(`${method} ${found.template} ${response.statusCode}`)
    if (declared === undefined) {
      t.fail(`${what}: status not declared (declared: ${Object.keys(found.operation.responses ?? {}).join(', ')}); body ${response.body.slice(0, 200)}`)
      return response
    }
    if (response.rawPayload.length === 0 || method === 'HEAD') return response
    const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''
    const content = declared.content?.[mediaType]
    if (content === undefined) {
      t.fail(`${what}: Content-Type ${mediaType} not declared (declared: ${Object.keys(declared.content ?? {}).join(', ')})`)
      return response
    }
    if (!isJson(mediaType)) {
      t.ok(true, `${what}: ${mediaType} as documented`)
      return response
    }
    const key = `${method} ${found.template} ${response.statusCode} ${mediaType}`
    let validate = this.#validators.get(key)
    if (validate === undefined) {
      validate = this.#ajv.compile({ ...content.schema, components: this.document.components })
      this.#validators.set(key, validate)
    }
    const valid = validate(JSON.parse(response.body))
    t.ok(valid, `${what}: body matches its documented schema${valid ? '' : `: ${this.#ajv.errorsText(validate.errors)}; body ${response.body.slice(0, 300)}`}`)
    return response
  }

  /** Validates a value against a schema of the document (`{ $ref }`s into its components resolve). */
  matches (schema: unknown, value: unknown): { valid: boolean, errors: string } {
    const validate = this.#ajv.compile({ ...(schema as object), components: this.document.components })
    const valid = validate(value)
    return { valid, errors: valid ? '' : this.#ajv.errorsText(validate.errors) }
  }
}

/**
 * Every `METHOD /path` the app has, from `printRoutes` (Fastify's own tree of the registered
 * routes), without the HEAD routes Fastify adds beside each GET. Each tree line is one path segment
 * under its parent (four characters of indent per level), then its methods when a route ends there.
 */
export function appRoutes (app: FastifyInstance): string[] {
  const segments: string[] = []
  const routes: string[] = []
  for (const line of app.printRoutes({ commonPrefix: true }).split('\n')) {
    const node = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (node === null) continue
    segments.length = (node[1] ?? '').length / 4
    segments.push(node[2] ?? '')
    for (const method of node[3]?.split(', ') ?? []) routes.push(`${method} ${segments.join('')}`)
  }
  return routes.filter((route) => !(route.startsWith('HEAD ') && routes.includes(route.replace(/^HEAD /, 'GET '))))
}

/** A Fastify route path (`/genes/:hgnc_id`) as an OpenAPI path (`/genes/{hgnc_id}`). */
export const openapiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
