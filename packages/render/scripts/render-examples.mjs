// Renders every analysis over the analyses' test fixture (22 hand-written genes) into
// docs/examples/<analysis>.{svg,png,json}, for the README. Needs `pnpm build` and redis-server.
//   node packages/render/scripts/render-examples.mjs
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogger, GeneStore, readHgncSource } from '@genejobs/jobs-core'
import { ANALYSES, runAnalysis } from '@genejobs/analyses'
import { ANALYSES_FIXTURE, startTestRedis } from '@genejobs/test-support'
import { createResultRenderer } from '../dist/render.js'

const here = dirname(fileURLToPath(import.meta.url))
const fixture = ANALYSES_FIXTURE
const out = resolve(here, '../../../docs/examples')

/** The parameters each example runs with (what the README's curl examples post). */
const EXAMPLES = {
  'approval-timeline': { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' },
  'locus-types': { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' },
  chromosomes: { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' },
  'symbol-check': { symbols: ['BRCA1', 'brca1', 'MIC2', 'TDF', 'DUAL1', 'CAD', 'A12M2', 'NOTAGENE'] }
}

const redis = await startTestRedis()
try {
  const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  await genes.load(readHgncSource(fixture), fixture)
  const render = createResultRenderer()
  const log = createLogger('silent', 'render-examples')
  await mkdir(out, { recursive: true })
  for (const analysis of ANALYSES) {
    const params = EXAMPLES[analysis.name]
    const result = await runAnalysis(analysis, params, { genes, log, progress: async () => {} })
    const forms = await render(result, { id: 'example', analysis })
    await writeFile(join(out, `${analysis.name}.svg`), forms.svg)
    await writeFile(join(out, `${analysis.name}.png`), forms.png)
    await writeFile(join(out, `${analysis.name}.json`), JSON.stringify({ request: { analysis: analysis.name, ...params }, result }, null, 2) + '\n')
    process.stdout.write(`${analysis.name}: ${result.rows.length} rows, svg ${forms.svg.length} B, png ${forms.png.length} B\n`)
  }
} finally {
  await redis.close()
}
