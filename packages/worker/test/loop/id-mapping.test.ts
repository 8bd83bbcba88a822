import t from 'tap'
import { ANALYSES, validateJobRequest, type Analysis } from '@genejobs/analyses'
import { ResultStore } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { createResultRenderer } from '@genejobs/render'
import { startHarness } from './helper.js'

// The worker's fixture (genes.json): BRCA1 (aliases RNF53, BRCC1, PPP1R53), A2MP1 (previous
// symbol A2MP, also an alias of SHARED1), A12M1 (withdrawn, no note), MT-ND1 (previous MTND1).
t.test('an id-mapping job runs end to end: stored result, progress 100; its CSV has the documented columns', async (t) => {
  const harness = await startHarness(t)
  await harness.startWorker({ analyses: new Map<string, Analysis>(ANALYSES.map((a) => [a.name, a])) })
  const results = new ResultStore(harness.redis.stores.results, harness.redis.keys)
  const { id } = await harness.jobs.create(validateJobRequest({ analysis: 'id-mapping', from: 'symbol', ids: ['BRCA1', 'a2mp', 'rnf53', 'mtnd1', 'A12M1', 'nothing'] }))
  const job = await waitFor(async () => {
    const current = await harness.jobs.get(id)
    return current?.status === 'complete' || current?.status === 'failed' ? current : null
  }, { what: 'the id-mapping job to finish', timeoutMs: 20_000 })
  t.equal(job.status, 'complete', job.error ?? 'complete')
  t.equal(job.progress, 100)
  const result = JSON.parse(await results.get(id) ?? '{}') as { summary: Record<string, unknown>, rows: Array<Record<string, string>>, data: unknown }
  t.same(result.summary, {
    from: 'symbol',
    inputs: 6,
    unique_inputs: 6,
    mapped: 4,
    ambiguous: 0,
    not_found: 1,
    by_match: { approved: 1, previous: 2, alias: 1, 'withdrawn-merged': 0, withdrawn: 1, ambiguous: 0, 'not-found': 1 }
  }, 'a2mp is a previous symbol of A2MP1 before an alias of SHARED1')
  t.same(result.rows.map((row) => [row['input'], row['match'], row['symbol'], row['hgnc_id'], row['status']]), [
    ['BRCA1', 'approved', 'BRCA1', 'HGNC:1100', 'Approved'],
    ['a2mp', 'previous', 'A2MP1', 'HGNC:8', 'Approved'],
    ['rnf53', 'alias', 'BRCA1', 'HGNC:1100', 'Approved'],
    ['mtnd1', 'previous', 'MT-ND1', 'HGNC:7421', 'Approved'],
    ['A12M1', 'withdrawn', 'A12M1', 'HGNC:1', 'Entry Withdrawn'],
    ['nothing', 'not-found', '', '', '']
  ])
  t.same(result.data, await harness.genes.info(), 'the data version it was computed on')
  t.same(await results.forms(id), ['json'], 'the worker stores the result; the API draws the CSV when asked')
  const analysis = ANALYSES.find((a) => a.name === 'id-mapping') as Analysis
  const drawn = await createResultRenderer()(result, { id, analysis }, ['csv'])
  const csv = String(drawn.csv).split('\r\n')
  t.equal(csv[0], 'Input,Match,HGNC ID,Symbol,Name,Status,Location')
  t.equal(csv[1], 'BRCA1,approved,HGNC:1100,BRCA1,"BRCA1, DNA repair associated",Approved,17q21.31')
  t.equal(csv[6], 'nothing,not-found,,,,,')
})
