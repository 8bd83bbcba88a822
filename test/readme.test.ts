// Keeps the README true where a test can check it: the configuration table is the config schema's,
// every route is documented, the commands it gives exist, and the images it shows are there.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts

t.test('the configuration table is generated from the config schema', async (t) => {
  const table = execFileSync(process.execPath, [join(root, 'scripts/config-table.mjs')], { encoding: 'utf8' }).trim()
  const documented = /<!-- config-table:start[^>]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1]
  t.equal(documented, table, 'run `node scripts/config-table.mjs` and paste its output into README.md')
})

t.test('every route is documented', async (t) => {
  for (const route of ['GET /health', 'POST /data', 'GET /data', 'DELETE /data', 'GET /genes', 'GET /genes/:hgnc_id', 'GET /symbols/:symbol', 'POST /jobs', 'GET /jobs', 'GET /jobs/:id', 'GET /results/:id']) {
    t.ok(readme.includes(`\`${route}\``), route)
  }
})

t.test('the commands the README gives exist', async (t) => {
  for (const script of ['start', 'start:api', 'start:worker', 'build', 'typecheck', 'lint', 'test', 'bench', 'bench:load', 'bench:api', 'bench:jobs', 'bench:analyses']) {
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
