import { createHash } from 'node:crypto'
import { readFile, writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readHgncSource } from '@genejobs/jobs-core'
import { fixturePath } from '@genejobs/test-support'
import { buildTestApp } from '../helper.js'

t.test('POST /data loads HGNC_SOURCE and answers 201 with the count, source and time', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: '/data' })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.same(Object.keys(body).sort(), ['loaded', 'message', 'ms', 'source'])
  t.equal(body.loaded, 8)
  t.equal(body.source, fixturePath('genes.json'))
  t.equal(body.message, `loaded 8 genes from ${fixturePath('genes.json')} in ${body.ms} ms`, 'a human-readable message beside the counts')
  t.type(body.ms, 'number')
  t.equal((await app.inject({ method: 'GET', url: '/genes' })).json().length, 8)
})

t.test('POST /data ignores any body: the source comes only from configuration', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: '/data', payload: { source: '/etc/passwd' } })
  t.equal(res.statusCode, 201)
  t.equal(res.json().source, fixturePath('genes.json'))
})

t.test('an unreachable source answers 502 and keeps the old data', async (t) => {
  const { app, redis } = await buildTestApp(t)
  await app.inject({ method: 'POST', url: '/data' })
  const before = await redis.snapshot()
  // A second app on the same Redis, configured with a missing file.
  const { app: broken } = await buildTestApp(t, { HGNC_SOURCE: '/nonexistent/hgnc.json.gz' })
  const res = await broken.inject({ method: 'POST', url: '/data' })
  t.equal(res.statusCode, 502)
  t.same(res.json(), { statusCode: 502, error: 'Bad Gateway', message: 'cannot read HGNC source file /nonexistent/hgnc.json.gz: ENOENT: no such file or directory, stat \'/nonexistent/hgnc.json.gz\'' })
  t.same(await redis.snapshot(), before)
})

t.test('a malformed source answers 422 naming where, and keeps the old data', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'genejobs-api-'))
  const bad = join(dir, 'bad.json')
  await writeFile(bad, '[{"hgnc_id":"HGNC:1","symbol":"A"},{"hgnc_id":"HGNC:2","symbol":tru}]')
  const { app, redis } = await buildTestApp(t, { HGNC_SOURCE: bad })
  await app.genes.load(readHgncSource(fixturePath('genes.json')), 'fixture')
  const before = await redis.snapshot()
  const res = await app.inject({ method: 'POST', url: '/data' })
  t.equal(res.statusCode, 422)
  t.equal(res.json().error, 'Unprocessable Entity')
  t.match(res.json().message, /^malformed HGNC JSON: record 2 is not valid JSON/)
  t.same(await redis.snapshot(), before)
  t.equal((await app.inject({ method: 'GET', url: '/genes/HGNC:5' })).json().symbol, 'A1BG')
})

t.test('GET /data streams every record, exactly as stored, as one JSON array', async (t) => {
  const { app } = await buildTestApp(t)
  const empty = await app.inject({ method: 'GET', url: '/data' })
  t.equal(empty.statusCode, 200)
  t.equal(empty.body, '[]')
  await app.inject({ method: 'POST', url: '/data' })
  const res = await app.inject({ method: 'GET', url: '/data' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const records = res.json() as Array<{ hgnc_id: string }>
  t.same(records.map((r) => r.hgnc_id), ['HGNC:5', 'HGNC:37133', 'HGNC:1', 'HGNC:7', 'HGNC:8', 'HGNC:1100', 'HGNC:7421', 'HGNC:30000'])
  t.match(res.body, /"_version_":9007199254740993}/, '64-bit integers unchanged')
})

t.test('DELETE /data deletes everything and reports how many', async (t) => {
  const { app } = await buildTestApp(t)
  await app.inject({ method: 'POST', url: '/data' })
  const res = await app.inject({ method: 'DELETE', url: '/data' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { deleted: 8, message: 'deleted 8 genes' })
  t.same((await app.inject({ method: 'GET', url: '/genes' })).json(), [])
  t.same((await app.inject({ method: 'DELETE', url: '/data' })).json(), { deleted: 0, message: 'no gene data was loaded: nothing to delete' })
})

t.test('GET /data/info: the provenance of the loaded version; 404 when nothing is loaded', async (t) => {
  const { app } = await buildTestApp(t)
  const none = await app.inject({ method: 'GET', url: '/data/info' })
  t.equal(none.statusCode, 404)
  t.same(none.json(), { statusCode: 404, error: 'Not Found', message: 'no gene data is loaded: POST /data first' })
  await app.inject({ method: 'POST', url: '/data' })
  const res = await app.inject({ method: 'GET', url: '/data/info' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body), ['version', 'source', 'loaded_at', 'sha256', 'genes'])
  t.equal(body.source, fixturePath('genes.json'))
  t.equal(body.sha256, createHash('sha256').update(await readFile(fixturePath('genes.json'))).digest('hex'))
  t.equal(body.genes, 8)
  t.equal(body.version, await app.genes.currentVersion())
})
