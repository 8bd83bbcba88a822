import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder of the small hand-written HGNC fixtures (never real downloads). */
export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

/** The path of one fixture file, e.g. `fixturePath('genes.json.gz')`. */
export function fixturePath (name: string): string {
  return join(FIXTURE_DIR, name)
}
