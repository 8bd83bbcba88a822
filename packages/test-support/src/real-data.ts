import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder (three levels above this file's dist/). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * Where the real HGNC file `name` is: `$HGNC_DATA_DIR/name`, else `../shared/data/name` beside the
 * repository. Returns `{ path }` when it exists, else `{ reason }` to print when skipping.
 */
export function realDataPath (name: string): { path: string } | { reason: string } {
  const folder = process.env['HGNC_DATA_DIR'] ?? join(REPO_ROOT, '..', 'shared', 'data')
  const path = join(folder, name)
  return existsSync(path) ? { path } : { reason: `real HGNC data not found at ${path} (set HGNC_DATA_DIR to its folder)` }
}
