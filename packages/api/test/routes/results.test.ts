import t from 'tap'
import { JobQueue } from '@genejobs/jobs-core'
import { acceptableFormats } from '../../src/routes/results.js'
import { buildTestApp, claimJob } from '../helper.js'

const { app, redis } = await buildTestApp(t)
await app.inject({ method: 'POST', url: '/data' })
const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: { stalledAfterMs: 60_000, maxAttempts: 1, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 } })

const chart = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: 'Inputs per match type', mark: 'bar', data: { values: [{ match_type: 'approved', inputs: 1 }] } }
const result = { summary: { inputs: 1 }, rows: [{ input: 'BRCA1', match_type: 'approved' }], chart }
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>Inputs per match type</text></svg>'
// Every byte value, after a PNG signature: the PNG must come back byte for byte.
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 256 }, (_, i) => i))])
const csv = 'Input,Match type\r\nBRCA1,Approved symbol\r\n'
const tsv = 'Input\tMatch type\nBRCA1\tApproved symbol\n'

/** Submits a job through the API, plays the worker's part, and stores `forms` as its result. */
async function completedJob (body: Record<string, unknown>, forms: Record<string, string | Buffer>): Promise<string> {
  const submitted = await app.inject({ method: 'POST', url: '/jobs', payload: body })
  if (submitted.statusCode !== 201) throw new Error(`POST /jobs answered ${submitted.statusCode}: ${submitted.body}`)
  const { id } = submitted.json() as { id: string }
  await claimJob(app, queue, id)
  if (!await app.jobs.complete({ id, attempts: 1 }, 'test-worker', forms)) throw new Error(`job ${id} was not completed`)
  return id
}

const charted = await completedJob({ analysis: 'symbol-check', symbols: ['BRCA1'] }, { json: JSON.stringify(result), svg, png, csv, tsv })
const plain = await completedJob({ hgnc_id_start: 1, hgnc_id_end: 10 }, { json: '{"summary":{"total":3},"rows":[]}', csv: 'year\r\n' })
const get = async (id: string, query = '', accept?: string) =>
  await app.inject({ method: 'GET', url: `/results/${id}${query}`, headers: accept === undefined ? {} : { accept } })

t.test('?format= picks the form, with its Content-Type and, for downloads, a file name', async (t) => {
  const json = await get(charted, '?format=json')
  t.equal(json.statusCode, 200)
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8')
  t.same(json.json(), result)
  t.notOk(json.headers['content-disposition'], 'JSON is not a download')
  t.equal(json.headers['vary'], 'Accept')

  const expected: Array<[string, string, string | Buffer]> = [
    ['svg', 'image/svg+xml; charset=utf-8', svg],
    ['png', 'image/png', png],
    ['csv', 'text/csv; charset=utf-8; header=present', csv],
    ['tsv', 'text/tab-separated-values; charset=utf-8', tsv]
  ]
  for (const [format, type, body] of expected) {
    const res = await get(charted, `?format=${format}`)
    t.equal(res.statusCode, 200, format)
    t.equal(res.headers['content-type'], type)
    t.equal(res.headers['content-disposition'], `attachment; filename="symbol-check-${charted.slice(0, 8)}.${format}"`)
    t.ok(res.rawPayload.equals(Buffer.isBuffer(body) ? body : Buffer.from(body)), `${format}: byte for byte`)
  }

  const spec = await get(charted, '?format=vega-lite')
  t.equal(spec.statusCode, 200)
  t.equal(spec.headers['content-type'], 'application/vnd.vegalite.v6+json; charset=utf-8')
  t.same(spec.json(), chart, 'the Vega-Lite spec stored in the result')
  t.notOk(spec.headers['content-disposition'])
})

t.test('an unknown format is a 400 listing the valid ones', async (t) => {
  const res = await get(charted, '?format=pdf')
  t.equal(res.statusCode, 400)
  t.equal(res.json().error, 'Bad Request')
  for (const format of ['json', 'svg', 'png', 'vega-lite', 'csv', 'tsv']) t.match(res.json().message, format)
  t.match(res.json().message, /^querystring\/format/)
})

t.test('a form the result does not have is a 404 saying which it has', async (t) => {
  const res = await get(plain, '?format=png')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { statusCode: 404, error: 'Not Found', message: `the result of job ${plain} has no png form: it is available as json, csv, tsv` })
  t.notOk(res.headers['content-disposition'], 'no file name on an error')
  const spec = await get(plain, '?format=vega-lite')
  t.equal(spec.statusCode, 404)
  t.equal(spec.json().message, `the result of job ${plain} has no vega-lite form: it is available as json, csv, tsv`)
  t.equal((await get(plain, '?format=csv')).body, 'year\r\n')
})

t.test('without ?format=, the Accept header decides', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['image/png', 'image/png'],
    ['image/svg+xml', 'image/svg+xml'],
    ['image/*', 'image/svg+xml'],
    ['text/csv', 'text/csv'],
    ['text/tab-separated-values', 'text/tab-separated-values'],
    ['application/vnd.vegalite.v6+json', 'application/vnd.vegalite.v6+json'],
    ['image/png;q=0.5, text/csv', 'text/csv'],
    ['image/png, text/csv;q=0.9', 'image/png'],
    ['IMAGE/PNG', 'image/png'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', 'application/json'],
    ['application/json;q=0, */*;q=0.1', 'image/svg+xml']
  ]
  for (const [accept, type] of cases) {
    const res = await get(charted, '', accept)
    t.equal(res.statusCode, 200, String(accept))
    t.equal(String(res.headers['content-type']).split(';')[0], type, `Accept: ${String(accept)} -> ${type}`)
  }
  t.equal(String((await get(charted, '?format=csv', 'image/png')).headers['content-type']).split(';')[0], 'text/csv', '?format= wins over Accept')
  t.equal(String((await get(plain, '', 'image/png, text/csv;q=0.5')).headers['content-type']).split(';')[0], 'text/csv', 'the best form the result has')
})

t.test('nothing acceptable is a 406 naming what is offered', async (t) => {
  const res = await get(charted, '', 'text/html')
  t.equal(res.statusCode, 406)
  t.same(res.json(), {
    statusCode: 406,
    error: 'Not Acceptable',
    message: 'none of the types in Accept is offered: ask for one of application/json, image/svg+xml, image/png, application/vnd.vegalite.v6+json, text/csv, text/tab-separated-values, or use ?format='
  })
  const images = await get(plain, '', 'image/*')
  t.equal(images.statusCode, 406)
  t.equal(images.json().message, `the result of job ${plain} is not available as any type in Accept: it is available as application/json, text/csv, text/tab-separated-values`)
})

t.test('pending, failed, unknown and expired jobs answer as before, whatever the format', async (t) => {
  const { id } = (await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'chromosomes', hgnc_id_start: 1, hgnc_id_end: 2 } })).json() as { id: string }
  const pending = await get(id, '?format=png', 'image/png')
  t.equal(pending.statusCode, 202)
  t.same(pending.json(), { status: 'submitted', message: `job ${id} is not complete yet` })
  t.equal((await get('3b241101-e2bb-4255-8caf-4136c566a962', '?format=svg')).statusCode, 404)
  const expired = await completedJob({ analysis: 'locus-types', hgnc_id_start: 1, hgnc_id_end: 2 }, { json: '{"summary":{},"rows":[]}' })
  // A complete job whose result is gone: what a job that expires between the route's two reads leaves.
  await redis.stores.results.hDel(redis.keys.results.result(expired), 'json')
  for (const query of ['', '?format=png', '?format=vega-lite']) {
    const res = await get(expired, query, 'image/png')
    t.equal(res.statusCode, 404)
    t.equal(res.json().message, `the result of job ${expired} has expired`)
  }
})

t.test('acceptableFormats orders by weight, then specificity, then JSON first', async (t) => {
  t.same(acceptableFormats(undefined), ['json'])
  t.same(acceptableFormats(''), ['json'])
  t.same(acceptableFormats('*/*'), ['json', 'svg', 'png', 'vega-lite', 'csv', 'tsv'])
  t.same(acceptableFormats('text/*, image/png;q=0.2'), ['csv', 'tsv', 'png'])
  t.same(acceptableFormats('image/*;q=0.5, image/png'), ['png', 'svg'])
  t.same(acceptableFormats('*/*;q=0.1, image/png;q=0'), ['json', 'svg', 'vega-lite', 'csv', 'tsv'], 'q=0 refuses a type')
  t.same(acceptableFormats('application/vnd.vegalite+json'), ['vega-lite'])
  t.same(acceptableFormats('nonsense, text/csv;q=abc, /png'), [], 'malformed ranges are ignored')
})
