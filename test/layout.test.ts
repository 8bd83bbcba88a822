import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const PACKAGES_DIR = new URL('../packages/', import.meta.url)

/** Every TypeScript source file of every package (not tests, not builds), path relative to packages/. */
function sourceFiles (): string[] {
  return readdirSync(PACKAGES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((entry) => /^[^/]+\/src\/.*\.tsx?$/.test(entry) && !entry.includes('node_modules'))
}

const read = (entry: string): string => readFileSync(fileURLToPath(new URL(entry, PACKAGES_DIR)), 'utf8')

t.test('no source file is over 300 lines (each reads in one sitting)', async (t) => {
  const files = sourceFiles()
  t.ok(files.length > 50, `found the sources (${files.length} files)`)
  const long = files.map((entry) => ({ entry, lines: read(entry).split('\n').length - 1 })).filter(({ lines }) => lines > 300)
  t.same(long, [], 'files over 300 lines')
})

t.test('the renderer knows no analysis: it imports at most types from @genejobs/analyses', async (t) => {
  const imports = [...read('render/src/render.ts').matchAll(/^import (.*) from '([^']+)'$/gm)]
  t.ok(imports.length > 0, 'render.ts has imports')
  for (const [, what, from] of imports) {
    if (from === '@genejobs/analyses' || (from ?? '').includes('analyses')) t.match(what, /^type /, `${from}: only types`)
  }
})
