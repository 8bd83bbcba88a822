import t from 'tap'
import { buildTestApp, claimJob } from '../helper.js'

const { app, redis } = await buildTestApp(t)
await app.inject({ method: 'POST', url: '/data' })

const post = async (payload: unknown) => await app.inject({ method: 'POST', url: '/jobs', payload: payload as Record<string, unknown> })

t.test('POST /jobs: 201, the job object, and a Location header', async (t) => {
  const res = await post({ analysis: 'approval-timeline', hgnc_id_start: 'hgnc:1', hgnc_id_end: 48000, locus_group: 'pseudogene', status: 'Approved', chromosome: 'X' })
  t.equal(res.statusCode, 201)
  const job = res.json()
  t.equal(res.headers['location'], `/jobs/${job.id}`)
  t.same({ ...job, id: undefined, created_at: undefined }, {
    status: 'submitted',
    analysis: 'approval-timeline',
    params: { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:48000', locus_group: 'pseudogene', status: 'Approved', chromosome: 'X' },
    attempts: 0
  })
  t.ok(Number.isFinite(Date.parse(job.created_at)))
  const fetched = await app.inject({ method: 'GET', url: res.headers['location'] as string })
  t.same(fetched.json(), job)
})

t.test('the analysis defaults to approval-timeline', async (t) => {
  const res = await post({ hgnc_id_start: '5', hgnc_id_end: '5' })
  t.equal(res.statusCode, 201)
  t.equal(res.json().analysis, 'approval-timeline')
})

// Every validation rule: [why, body, message the 400 must carry]
const invalid: Array<[string, unknown, RegExp]> = [
  ['missing start', { hgnc_id_end: '10' }, /^body\/hgnc_id_start is required/],
  ['missing end', { hgnc_id_start: '1' }, /^body\/hgnc_id_end is required/],
  ['unknown field', { hgnc_id_start: '1', hgnc_id_end: '2', colour: 'red' }, /^body\/colour is not a parameter of approval-timeline/],
  ['unknown analysis', { analysis: 'magic', hgnc_id_start: '1', hgnc_id_end: '2' }, /analysis must be (one of|equal to one of)/],
  ['start not an id', { hgnc_id_start: 'BRCA1', hgnc_id_end: '2' }, /^body\/hgnc_id_start must be first HGNC id of the range/],
  ['end a float', { hgnc_id_start: '1', hgnc_id_end: 2.5 }, /^body\/hgnc_id_end must be/],
  ['zero id', { hgnc_id_start: 0, hgnc_id_end: 2 }, /^body\/hgnc_id_start must be/],
  ['negative id', { hgnc_id_start: '-1', hgnc_id_end: '2' }, /^body\/hgnc_id_start must be/],
  ['huge id', { hgnc_id_start: 1, hgnc_id_end: 1e15 }, /^body\/hgnc_id_end must be/],
  ['boolean id', { hgnc_id_start: true, hgnc_id_end: '2' }, /^body\/hgnc_id_start must be/],
  ['reversed range', { hgnc_id_start: 'HGNC:10', hgnc_id_end: 'HGNC:9' }, /^body\/hgnc_id_end must not be below body\/hgnc_id_start \(got HGNC:10 > HGNC:9\)$/],
  ['bad locus_group', { hgnc_id_start: '1', hgnc_id_end: '2', locus_group: 'protein coding' }, /^body\/locus_group must be one of: "protein-coding gene"/],
  ['bad status', { hgnc_id_start: '1', hgnc_id_end: '2', status: 'approved' }, /^body\/status must be one of: "Approved", "Entry Withdrawn"$/],
  ['bad chromosome', { hgnc_id_start: '1', hgnc_id_end: '2', chromosome: '23' }, /^body\/chromosome must be one of: "1", "2"/],
  ['chromosome as number', { hgnc_id_start: '1', hgnc_id_end: '2', chromosome: 1 }, /^body\/chromosome must be one of/],
  ['array body', [1, 2], /body must be (object|a JSON object)/],
  ['string body', 'hello', /body/]
]

t.test('every validation rule answers 400 naming the field and the rule, and stores nothing', async (t) => {
  const before = await redis.snapshot()
  for (const [why, body, message] of invalid) {
    const res = typeof body === 'string'
      ? await app.inject({ method: 'POST', url: '/jobs', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
      : await post(body)
    t.equal(res.statusCode, 400, why)
    t.equal(res.json().error, 'Bad Request', why)
    t.match(res.json().message, message, why)
  }
  t.same(await redis.snapshot(), before, 'no key written, nothing queued')
})

t.test('GET /jobs lists ids newest first, with status filter and limit', async (t) => {
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    ids.push((await post({ hgnc_id_start: '1', hgnc_id_end: '2' })).json().id)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  const all = (await app.inject({ method: 'GET', url: '/jobs' })).json()
  t.same(all.jobs.slice(0, 3), [...ids].reverse())
  t.same((await app.inject({ method: 'GET', url: '/jobs?limit=2' })).json(), { jobs: [ids[2], ids[1]] })
  t.same((await app.inject({ method: 'GET', url: '/jobs?status=complete' })).json(), { jobs: [] })
  t.equal((await app.inject({ method: 'GET', url: '/jobs?status=submitted' })).json().jobs.length, all.jobs.length)
  for (const query of ['status=done', 'limit=0', 'limit=1001', 'limit=abc', 'colour=red']) {
    const res = await app.inject({ method: 'GET', url: `/jobs?${query}` })
    t.equal(res.statusCode, 400, query)
    t.match(res.json().message, /querystring/, query)
  }
})

t.test('GET /jobs/:id: 404 unknown, 404 not a UUID', async (t) => {
  const unknown = await app.inject({ method: 'GET', url: '/jobs/3b241101-e2bb-4255-8caf-4136c566a962' })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { statusCode: 404, error: 'Not Found', message: 'no job with id 3b241101-e2bb-4255-8caf-4136c566a962' })
  for (const bad of ['123', 'not-a-uuid', '3b241101-e2bb-1255-8caf-4136c566a962', '..%2F..%2Fetc']) {
    const res = await app.inject({ method: 'GET', url: `/jobs/${bad}` })
    t.equal(res.statusCode, 404, bad)
    t.match(res.json().message, /id/)
  }
})

t.test('GET /results/:id follows the job: 202, then 409 with the error, or 200 with the result', async (t) => {
  const { id } = (await post({ hgnc_id_start: '1', hgnc_id_end: '2' })).json()
  const pending = await app.inject({ method: 'GET', url: `/results/${id}` })
  t.equal(pending.statusCode, 202)
  t.same(pending.json(), { status: 'submitted', message: `job ${id} is not complete yet` })

  // Play the worker's part through jobs-core: claim, then fail for good.
  const { JobQueue } = await import('@genejobs/jobs-core')
  const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: { stalledAfterMs: 10_000, maxAttempts: 1, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 } })
  await claimJob(app, queue, id)
  t.same((await app.inject({ method: 'GET', url: `/results/${id}` })).json(), { status: 'in progress', message: `job ${id} is not complete yet` })
  await app.jobs.finishWithError({ id, attempts: 1 }, 'test-worker', 'analysis exploded', false)
  const failed = await app.inject({ method: 'GET', url: `/results/${id}` })
  t.equal(failed.statusCode, 409)
  t.same(failed.json(), { statusCode: 409, error: 'Conflict', message: `job ${id} failed: analysis exploded` })

  const { id: good } = (await post({ hgnc_id_start: '1', hgnc_id_end: '2' })).json()
  await claimJob(app, queue, good)
  await app.jobs.complete({ id: good, attempts: 1 }, 'test-worker', { json: '{"summary":{"total":2},"rows":[]}' })
  const done = await app.inject({ method: 'GET', url: `/results/${good}` })
  t.equal(done.statusCode, 200)
  t.same(done.json(), { summary: { total: 2 }, rows: [] })

  t.equal((await app.inject({ method: 'GET', url: '/results/3b241101-e2bb-4255-8caf-4136c566a962' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/results/nope' })).statusCode, 404)
})

t.test('ENABLE_TEST_ANALYSES=true: the API accepts the test analyses too, checked like any other', async (t) => {
  const { app } = await buildTestApp(t, { ENABLE_TEST_ANALYSES: 'true' })
  await app.inject({ method: 'POST', url: '/data' })
  const accepted = await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'test-sleep', ms: 10 } })
  t.equal(accepted.statusCode, 201)
  t.same(accepted.json().params, { ms: 10 })
  const refused = await app.inject({ method: 'POST', url: '/jobs', payload: { analysis: 'test-sleep', ms: -1 } })
  t.same(refused.json(), { statusCode: 400, error: 'Bad Request', message: 'body/ms must be how long to take, in ms' })
})

t.test('POST /jobs: id-mapping is accepted with a fetch field and ids; bad ones are refused and store nothing', async (t) => {
  const res = await post({ analysis: 'id-mapping', from: 'ensembl_gene_id', ids: ['ENSG00000012048', 'ensg00000002586'] })
  t.equal(res.statusCode, 201)
  const job = res.json()
  t.same({ ...job, id: undefined, created_at: undefined }, {
    status: 'submitted',
    analysis: 'id-mapping',
    params: { from: 'ensembl_gene_id', ids: ['ENSG00000012048', 'ensg00000002586'] },
    attempts: 0
  })
  t.same((await app.inject({ method: 'GET', url: `/jobs/${job.id as string}` })).json(), job)

  const before = await redis.snapshot()
  const refusals: Array<[unknown, string]> = [
    [{ analysis: 'id-mapping', from: 'gene_name', ids: ['A'] }, 'body/from must be one of: "hgnc_id", "symbol", "prev_symbol", '],
    [{ analysis: 'id-mapping', ids: ['A'] }, 'body/from is required: the field the ids are values of, one of the fields GET /fetch lists'],
    [{ analysis: 'id-mapping', from: 'symbol', ids: [] }, 'body/ids must have at least 1 item'],
    [{ analysis: 'id-mapping', from: 'symbol', ids: ['BRCA1', ' '] }, 'body/ids/1 must be an id of 1 to 100 characters, not blank, without control characters'],
    [{ analysis: 'id-mapping', from: 'symbol', ids: ['BRCA1'], symbols: ['A'] }, 'body/symbols is not a parameter of id-mapping: the parameters are analysis, from, ids']
  ]
  for (const [body, message] of refusals) {
    const refused = await post(body)
    t.equal(refused.statusCode, 400, message)
    t.equal(refused.json().error, 'Bad Request')
    t.ok((refused.json().message as string).startsWith(message), refused.json().message)
  }
  t.same(await redis.snapshot(), before, 'no key written, nothing queued')
})
