// Times each analysis over the real HGNC set: (1) in process, the analysis, then drawing every form
// of its result (what the API does on the first request for each); (2) through the queue:
// JobQueue.create to status "complete" with a Worker running (which stores the result, drawing nothing).
// Not a test. Needs `pnpm build`, redis-server, and ../shared/data (or HGNC_DATA_DIR).
//   node packages/worker/scripts/time-analyses.mjs [runs]
import { ANALYSES, runAnalysis, validateJobRequest } from '@genejobs/analyses'
import { createKeys, createLogger, GeneStore, JobQueue, readHgncSource } from '@genejobs/jobs-core'
import { realDataPath, startTestRedis } from '@genejobs/test-support'
import { createResultRenderer } from '@genejobs/render'
import { Worker } from '../dist/worker.js'

const runs = Number(process.argv[2] ?? 10)
const source = realDataPath('hgnc_complete_set.json.gz')
if (!('path' in source)) {
  process.stderr.write(`${source.reason}\n`)
  process.exit(1)
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const ms = (value) => `${value.toFixed(0).padStart(4)} ms`

const redis = await startTestRedis()
let worker
try {
  const loader = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  const loaded = await loader.load(readHgncSource(source.path), source.path)
  const approved = []
  for await (const batch of loader.streamRecords(5000)) {
    for (const raw of batch) {
      const doc = JSON.parse(raw)
      if (doc.status === 'Approved' && approved.length < 5000) approved.push(doc.symbol)
    }
  }
  process.stdout.write(`loaded ${loaded.loaded} genes in ${loaded.ms} ms; ${runs} runs each, median (min)\n\n`)
  const requests = {
    'approval-timeline': { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:999999999' },
    'locus-types': { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:999999999' },
    chromosomes: { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:999999999' },
    'symbol-check': { symbols: approved },
    'id-mapping': { from: 'symbol', ids: approved }
  }

  // (1) In process, with the projection cached as a worker caches it.
  const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys, cacheSummaries: true })
  const render = createResultRenderer()
  const log = createLogger('silent', 'timing')
  process.stdout.write('in process             analysis    render      total\n')
  for (const analysis of ANALYSES) {
    const times = { analysis: [], render: [], total: [] }
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now()
      const result = await runAnalysis(analysis, requests[analysis.name], { genes, log, progress: async () => {} })
      const computed = performance.now()
      await render(result, { id: 'timing', analysis })
      const done = performance.now()
      if (i === 0) continue // warm-up
      times.analysis.push(computed - started)
      times.render.push(done - computed)
      times.total.push(done - started)
    }
    process.stdout.write(`${analysis.name.padEnd(20)} ${ms(median(times.analysis))} ${ms(median(times.render))} ${ms(median(times.total))} (${Math.min(...times.total).toFixed(0)})\n`)
  }

  // (2) Submit to complete, through Redis and a Worker (as deployed, minus HTTP).
  worker = new Worker({
    stores: redis.stores,
    keys: createKeys(redis.config.keyPrefix),
    logger: createLogger('silent', 'timing'),
    analyses: new Map(ANALYSES.map((a) => [a.name, a])),
    concurrency: 1,
    policy: { maxAttempts: 1, stalledAfterMs: 30_000, ttlMs: 600_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 },
    shutdownTimeoutMs: 10_000
  })
  await worker.start()
  const jobs = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: redis.config.jobs })
  process.stdout.write('\nsubmit -> complete     median      min      max\n')
  for (const analysis of ANALYSES) {
    const times = []
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now()
      const { id } = await jobs.create(validateJobRequest({ analysis: analysis.name, ...requests[analysis.name] }))
      for (;;) {
        const status = await redis.stores.jobs.hGet(redis.keys.jobs.record(id), 'status')
        if (status === 'complete') break
        if (status === 'failed') throw new Error(`${analysis.name} failed: ${await redis.stores.jobs.hGet(redis.keys.jobs.record(id), 'error')}`)
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
      if (i > 0) times.push(performance.now() - started)
    }
    process.stdout.write(`${analysis.name.padEnd(20)} ${ms(median(times))} ${ms(Math.min(...times))} ${ms(Math.max(...times))}\n`)
  }
} finally {
  await worker?.close()
  await redis.close()
}
