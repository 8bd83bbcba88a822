// Renders every analysis over the analyses' test fixture (22 hand-written genes; id-mapping over
// its own, which has withdrawn entries' notes) into docs/examples/<analysis>.{svg,png,json}, for the
// README. Needs `pnpm build` and redis-server.
//   node packages/render/scripts/render-examples.mjs
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createKeys, createLogger, GeneStore, readHgncSource } from '@genejobs/jobs-core'
import { ANALYSES, runAnalysis } from '@genejobs/analyses'
import { ANALYSES_FIXTURE, ID_MAPPING_FIXTURE, startTestRedis } from '@genejobs/test-support'
import { createResultRenderer } from '../dist/render.js'

const here = dirname(fileURLToPath(import.meta.url))
const out = resolve(here, '../../../docs/examples')

/** The parameters each example runs with (what the README's curl examples post). */
const EXAMPLES = {
  'approval-timeline': { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' },
  'locus-types': { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' },
  chromosomes: { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' },
  'symbol-check': { symbols: ['BRCA1', 'brca1', 'MIC2', 'TDF', 'DUAL1', 'CAD', 'A12M2', 'NOTAGENE'] },
  'id-mapping': { from: 'symbol', ids: ['BRCA1', 'brca1', 'MIC2', 'TDF', 'OLDBRCA', 'MERGEDX', 'A12M2', 'DUAL1', 'NOTAGENE'] }
}

/** The fixture each example runs over, when not the analyses' one. */
const FIXTURES = { 'id-mapping': ID_MAPPING_FIXTURE }

const redis = await startTestRedis()
try {
  // One gene store per fixture, each under its own key prefix.
  const stores = new Map()
  const genesOf = async (fixture) => {
    if (!stores.has(fixture)) {
      const genes = new GeneStore({ client: redis.stores.genes, keys: createKeys(`examples-${stores.size}`) })
      await genes.load(readHgncSource(fixture), fixture)
      stores.set(fixture, genes)
    }
    return stores.get(fixture)
  }
  const render = createResultRenderer()
  const log = createLogger('silent', 'render-examples')
  await mkdir(out, { recursive: true })
  for (const analysis of ANALYSES) {
    const params = EXAMPLES[analysis.name]
    const genes = await genesOf(FIXTURES[analysis.name] ?? ANALYSES_FIXTURE)
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
