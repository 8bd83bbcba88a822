// Keeps the README true where a test can check it: the configuration table is the config schema's,
// every route the app has is documented (and every documented route exists), the commands it gives
// exist, and the images it shows are there.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startTestRedis } from '@genejobs/test-support'
import { buildApp } from '../packages/api/src/app.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts

t.test('the configuration table is generated from the config schema', async (t) => {
  const table = execFileSync(process.execPath, [join(root, 'scripts/config-table.mjs')], { encoding: 'utf8' }).trim()
  const documented = /<!-- config-table:start[^>]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1]
  t.equal(documented, table, 'run `node scripts/config-table.mjs` and paste its output into README.md')
})

/**
 * Every `METHOD /path` in a `printRoutes({ commonPrefix: true })` tree, e.g. `GET /genes/:hgnc_id`.
 * Each line is one path segment under its parent (four characters of indent per level), followed by
 * its methods in parentheses when a route ends there.
 */
function routesOf (tree: string): string[] {
  const segments: string[] = []
  const routes: string[] = []
  for (const line of tree.split('\n')) {
    const node = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (node === null) continue
    segments.length = (node[1] ?? '').length / 4
    segments.push(node[2] ?? '')
    for (const method of node[3]?.split(', ') ?? []) routes.push(`${method} ${segments.join('')}`)
  }
  return routes
}

t.test('every route of the app is documented, and every documented route exists', async (t) => {
  const redis = await startTestRedis()
  const app = await buildApp({ config: redis.config, stores: redis.stores })
  t.teardown(async () => {
    await app.close()
    await redis.close()
  })
  await app.ready()
  const all = routesOf(app.printRoutes({ commonPrefix: true }))
  // Fastify adds HEAD to every GET route by itself; the README documents the GET.
  const routes = all.filter((route) => !(route.startsWith('HEAD ') && all.includes(route.replace(/^HEAD /, 'GET '))))
  t.ok(routes.includes('GET /health') && routes.includes('POST /jobs'), `routes read from the app: ${routes.join(', ')}`)
  for (const route of routes) t.ok(readme.includes(`\`${route}\``), `${route} is in the README`)
  for (const [, route] of readme.matchAll(/^\| `((?:GET|HEAD|POST|PUT|PATCH|DELETE) \/[^`]*)` \|/gm)) {
    t.ok(routes.includes(route ?? ''), `${route ?? ''} (in the README) is a route of the app`)
  }
})

t.test('the commands the README gives exist', async (t) => {
  for (const script of ['start', 'start:api', 'start:worker', 'build', 'typecheck', 'lint', 'test', 'bench', 'bench:load', 'bench:api', 'bench:jobs', 'bench:analyses', 'bench:uploads']) {
    t.ok(scripts[script], `pnpm ${script}`)
    t.ok(readme.includes(`pnpm ${script}`), `README mentions pnpm ${script}`)
  }
  t.ok(existsSync(join(root, '.ci/run')), 'bash .ci/run')
  t.ok(existsSync(join(root, '.env.example')), 'cp .env.example .env')
})

t.test('every image and local link points at a file', async (t) => {
  for (const [, target] of readme.matchAll(/\]\(((?:docs|packages|test|bench|scripts)\/[^)#\s]+)\)/g)) {
    t.ok(existsSync(join(root, target ?? '')), target)
  }
})
