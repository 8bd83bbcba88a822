import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { errorResponses } from '../schemas/error.js'

/** Options of the dashboard plugin. */
export interface DashboardPluginOptions {
  /** The dashboard's built files (`index.html`, `assets/`); by default `@genejobs/dashboard`'s `dist/`. */
  root?: string
}

/**
 * The dashboard page's Content-Security-Policy: its own scripts, styles and API calls only (no
 * inline script or style, no eval: the interactive chart runs Vega with its expression
 * interpreter), nothing from another origin, never framed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

/** What the dashboard's built scripts and styles are named (esbuild's `[name]-[hash]`). */
const ASSET_NAME = /^[A-Za-z0-9_-]{1,100}\.(js|css)$/

/** Where the dashboard's build is, as installed beside the API (`packages/dashboard/dist`). */
export function defaultDashboardRoot (): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@genejobs/dashboard/package.json')), 'dist')
}

/**
 * The dashboard: `GET /` is its page, `GET /assets/:file` its scripts and styles (content-hashed names,
 * cached for a year, served brotli- or gzip-compressed from files compressed at build time).
 * Nothing else changes: API routes keep their JSON-only policy.
 */
export default fp<DashboardPluginOptions>(async function dashboardPlugin (app: FastifyInstance, options) {
  const root = options.root ?? defaultDashboardRoot()
  const built = existsSync(join(root, 'index.html'))
  if (!built) app.log.warn({ root }, 'the dashboard is not built (run pnpm build): GET / answers 404')
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    // Only `reply.sendFile`: the route below serves the files (a wildcard route would also catch
    // paths that name no file, and hide from the route list what it serves).
    serve: false,
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
    serveDotFiles: false
  })
  app.get<{ Params: { file: string } }>('/assets/:file', {
    schema: {
      summary: "A file of the dashboard's build (script or style sheet), cached for a year",
      params: Type.Object({ file: Type.String({ maxLength: 200, description: 'a file name, as the dashboard page links it' }) }, { additionalProperties: false }),
      response: {
        200: {
          description: 'the file, brotli- or gzip-compressed as the Accept-Encoding allows',
          content: { 'application/javascript': { schema: Type.String() }, 'text/css': { schema: Type.String() } }
        },
        ...errorResponses(404)
      }
    }
  }, async (request, reply) => {
    // A name that is not a build file (no folders, no dot files) is simply not there: 404.
    if (!ASSET_NAME.test(request.params.file)) return reply.callNotFound()
    return await reply.sendFile(request.params.file)
  })
  app.get('/', {
    schema: {
      summary: 'The dashboard: a web page to search genes, run analyses, follow jobs and watch the queue',
      response: {
        200: { description: 'the dashboard page (it loads its scripts from /assets/)', content: { 'text/html': { schema: Type.String() } } },
        ...errorResponses(404)
      }
    }
  }, async (request, reply) => {
    if (!built) return await reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'the dashboard is not built: run pnpm build' })
    return await reply
      .header('content-security-policy', DASHBOARD_CSP)
      .header('cache-control', 'no-cache')
      .sendFile('index.html', root, { cacheControl: false })
  })
}, { name: 'genejobs-dashboard', dependencies: ['genejobs-errors'] })
