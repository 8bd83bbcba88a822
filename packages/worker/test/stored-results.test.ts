import t from 'tap'
import { ANALYSES, symbolCheck, validateJobRequest, type Analysis } from '@genejobs/analyses'
import { ResultStore, type GeneStore } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { startHarness } from './loop/helper.js'

t.test('a worker stores each result once, as JSON with its chart spec; nothing is drawn', async (t) => {
  const harness = await startHarness(t)
  await harness.startWorker({ analyses: new Map<string, Analysis>(ANALYSES.map((a) => [a.name, a])) })
  const results = new ResultStore(harness.redis.stores.results, harness.redis.keys)
  const requests = [
    { analysis: 'approval-timeline', hgnc_id_start: 1, hgnc_id_end: 100000 },
    { analysis: 'locus-types', hgnc_id_start: 1, hgnc_id_end: 100000 },
    { analysis: 'chromosomes', hgnc_id_start: 1, hgnc_id_end: 100000 },
    { analysis: 'symbol-check', symbols: ['BRCA1', 'a2mp', 'nothing'] },
    { analysis: 'id-mapping', from: 'symbol', ids: ['BRCA1', 'a2mp', 'nothing'] }
  ]
  for (const request of requests) {
    const { id } = await harness.jobs.create(validateJobRequest(request))
    const job = await waitFor(async () => {
      const current = await harness.jobs.get(id)
      return current?.status === 'complete' || current?.status === 'failed' ? current : null
    }, { what: `${request.analysis} to finish` })
    t.equal(job.status, 'complete', `${request.analysis}: ${job.error ?? 'complete'}`)
    t.equal(job.progress, 100)
    t.same(await results.forms(id), ['json'], `${request.analysis}: only the JSON is stored; the API draws the rest when asked`)
    const result = JSON.parse(await results.get(id) ?? '{}') as { rows: unknown[], chart: { $schema: string, data: { values: unknown[] } } }
    t.match(result.chart.$schema, /vega-lite/, 'the chart is stored as its Vega-Lite spec')
    t.ok(result.rows.length > 0, 'with its rows')
  }
})

t.test('progress shows on the job record while a long job runs', async (t) => {
  const harness = await startHarness(t)
  // symbol-check, with each batch's lookup slowed past the worker's 200 ms progress throttle.
  const slow: typeof symbolCheck = {
    ...symbolCheck,
    run: async (params, context) => {
      const genes = Object.create(context.genes) as GeneStore
      genes.lookupSymbols = async (symbols) => {
        await new Promise((resolve) => setTimeout(resolve, 250))
        return await context.genes.lookupSymbols(symbols)
      }
      return await symbolCheck.run(params, { ...context, genes })
    }
  }
  await harness.startWorker({ analyses: new Map<string, Analysis>([['symbol-check', slow]]) })
  // 12 batches of 2,000, four in flight: three waves of lookups, 250 ms apart.
  const symbols = Array.from({ length: 24_000 }, (_, i) => `SYM${i}`)
  const { id } = await harness.jobs.create(validateJobRequest({ analysis: 'symbol-check', symbols }))
  const seen = new Set<number>()
  await waitFor(async () => {
    const job = await harness.jobs.get(id)
    if (job?.progress !== undefined) seen.add(job.progress)
    return job?.status === 'complete'
  }, { intervalMs: 20, what: 'the slowed symbol-check' })
  const between = [...seen].filter((p) => p > 0 && p < 100)
  t.ok(between.length >= 2, `progress seen on the way: ${[...seen].sort((a, b) => a - b).join(', ')}`)
  t.ok(seen.has(100))
})
