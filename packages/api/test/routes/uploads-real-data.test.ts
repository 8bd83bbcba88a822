import t from 'tap'
import { gzipSync } from 'node:zlib'
import { runAnalysis, symbolCheck } from '@genejobs/analyses'
import { realDataPath, recordingContext } from '@genejobs/test-support'
import { buildTestApp } from '../helper.js'

// The real HGNC complete set (42,741 genes) lives beside the repository, never inside it.
const source = realDataPath('hgnc_complete_set.json.gz')
if ('reason' in source) {
  t.comment(`skipping the real-data upload test: ${source.reason}`)
} else {
  t.test('a gzipped CSV uploaded against the real set: approved, previous, alias, withdrawn, unknown', async (t) => {
    const { app } = await buildTestApp(t, { HGNC_SOURCE: source.path })
    t.equal((await app.inject({ method: 'POST', url: '/data' })).statusCode, 201)
    const csv = 'Gene symbol,log2 fold change\nBRCA1,2.1\n"brca2",1.7\nMLL,-0.4\np53,0.9\nA12M2,0.1\nNOTAGENE,3.2\n'
    const form = new FormData()
    form.append('analysis', 'symbol-check')
    form.append('column', 'gene symbol')
    form.append('file', new Blob([new Uint8Array(gzipSync(csv))], { type: 'application/gzip' }), 'genes.csv.gz')
    const encoded = new Response(form)
    const res = await app.inject({ method: 'POST', url: '/jobs', payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type') as string } })
    t.equal(res.statusCode, 201, res.body)
    t.same(res.json().params.upload, { file: 'genes.csv.gz', bytes: gzipSync(csv).length, gzip: true, format: 'csv', header: true, column: 'Gene symbol', identifiers: 6, list: 'symbols' })
    const [job] = await app.jobs.claim('real-data-test', 1)
    t.equal(job?.id, res.json().id)
    const result = await runAnalysis(symbolCheck, job?.input ?? {}, recordingContext(app.genes))
    t.same(result.rows.map((row) => [row['input'], row['match_type'], row['approved_symbol'], row['hgnc_id']]), [
      ['BRCA1', 'approved', 'BRCA1', 'HGNC:1100'],
      ['brca2', 'approved', 'BRCA2', 'HGNC:1101'],
      ['MLL', 'previous', 'KMT2A', 'HGNC:7132'],
      ['p53', 'alias', 'TP53', 'HGNC:11998'],
      ['A12M2', 'withdrawn', 'A12M2', 'HGNC:2'],
      ['NOTAGENE', 'unmatched', '', '']
    ])
  })
}
