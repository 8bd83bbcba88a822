// What clients written for the course's Flask version of this service rely on (issue 11, item 11):
// a path naming no resource is a 404, a trailing slash reaches the same route, POST/DELETE /data
// answer a message beside their counts, and a job submitted before any data is loaded is refused.
import t from 'tap'
import { buildTestApp } from './helper.js'

const JOB = { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }
const NO_LIMITS = { RATE_LIMIT_JOBS_PER_MINUTE: '0', RATE_LIMIT_HEAVY_PER_MINUTE: '0' }

t.test('a malformed id in a path is a 404 that says what an id looks like', async (t) => {
  const { app } = await buildTestApp(t, NO_LIMITS)
  const cases: Array<[string, string]> = [
    ['/jobs/invalid-job-id', 'params/id must be a job id (UUID v4)'],
    ['/results/INVALID', 'params/id must be a job id (UUID v4)'],
    ['/genes/FOO', 'params/hgnc_id must be HGNC:<number>, hgnc:<number> or <number>'],
    ['/symbols/a%20b', 'params/symbol must be 1 to 64 printable characters without spaces or "/"']
  ]
  for (const [url, message] of cases) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { statusCode: 404, error: 'Not Found', message }, url)
  }
  const badQuery = await app.inject({ method: 'GET', url: '/jobs?limit=0' })
  t.equal(badQuery.statusCode, 400, 'a bad query string stays a 400')
})

t.test('a trailing slash reaches the same route', async (t) => {
  const { app } = await buildTestApp(t, NO_LIMITS)
  t.equal((await app.inject({ method: 'POST', url: '/data/' })).statusCode, 201, 'POST /data/')
  for (const url of ['/jobs', '/genes', '/data', '/health', '/genes/HGNC:5', '/symbols/A1BG']) {
    const plain = await app.inject({ method: 'GET', url })
    const slashed = await app.inject({ method: 'GET', url: `${url}/` })
    t.equal(slashed.statusCode, 200, `GET ${url}/`)
    t.equal(slashed.body, plain.body, `GET ${url}/ answers as GET ${url}`)
  }
  const job = await app.inject({ method: 'POST', url: '/jobs/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(JOB) })
  t.equal(job.statusCode, 201, 'POST /jobs/')
  t.equal((await app.inject({ method: 'GET', url: `/jobs/${job.json().id as string}/` })).statusCode, 200, 'GET /jobs/<id>/')
  t.equal((await app.inject({ method: 'DELETE', url: '/data/' })).json().deleted, 8, 'DELETE /data/')
})

t.test('POST /data and DELETE /data answer a message beside the counts', async (t) => {
  const { app } = await buildTestApp(t, NO_LIMITS)
  const loaded = (await app.inject({ method: 'POST', url: '/data' })).json()
  t.match(loaded, { loaded: 8, message: /^loaded 8 genes from .+genes\.json in \d+ ms$/ })
  t.same((await app.inject({ method: 'DELETE', url: '/data' })).json(), { deleted: 8, message: 'deleted 8 genes' })
  t.same((await app.inject({ method: 'DELETE', url: '/data' })).json(), { deleted: 0, message: 'no gene data was loaded: nothing to delete' })
})

t.test('a job submitted while no data is loaded is refused with 409 and nothing is stored', async (t) => {
  const { app, redis } = await buildTestApp(t, NO_LIMITS)
  const before = await redis.snapshot()
  const refused = await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(JOB) })
  t.equal(refused.statusCode, 409)
  t.same(refused.json(), { statusCode: 409, error: 'Conflict', message: 'no gene data is loaded: POST /data first' })
  t.same(await redis.snapshot(), before, 'no job stored or queued')
  const invalid = await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...JOB, colour: 'red' }) })
  t.equal(invalid.statusCode, 400, 'a bad body is still a 400 first')

  await app.inject({ method: 'POST', url: '/data' })
  const accepted = await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(JOB) })
  t.equal(accepted.statusCode, 201, 'accepted once data is loaded')
  await app.inject({ method: 'DELETE', url: '/data' })
  t.equal((await app.inject({ method: 'GET', url: `/jobs/${accepted.json().id as string}` })).json().status, 'submitted',
    'a job accepted before the data was deleted stays queued (the worker fails it when it runs)')
  t.equal((await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(JOB) })).statusCode, 409, 'refused again after DELETE /data')
})

t.test('the default rate limits let a script of 150 jobs and 60 full reads in a minute through', async (t) => {
  const { app } = await buildTestApp(t) // the defaults: no RATE_LIMIT_* set
  await app.inject({ method: 'POST', url: '/data' })
  const statuses = new Set<number>()
  for (let i = 0; i < 150; i++) {
    statuses.add((await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(JOB) })).statusCode)
  }
  for (let i = 0; i < 30; i++) {
    statuses.add((await app.inject({ method: 'GET', url: '/genes' })).statusCode)
    statuses.add((await app.inject({ method: 'GET', url: '/data' })).statusCode)
  }
  t.same([...statuses].sort(), [200, 201], 'no 429')
})
