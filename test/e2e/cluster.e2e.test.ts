// The jobs end to end and the data routes on a local 3-master Redis Cluster: the API and two
// workers as real processes, with REDIS_CLUSTER_NODES. No step may touch keys of two slots at once
// (CROSSSLOT, or a script's "non local key"), and job results spread over every master.
import t from 'tap'
import { createKeys } from '@genejobs/jobs-core'
import { startRedisCluster, waitFor } from '@genejobs/test-support'
import { startServices } from './helpers.js'

const CROSS_SLOT = /CROSSSLOT|non local key|MOVED|ASK /

const cluster = await startRedisCluster({ masters: 3 })
const stack = await startServices(t, {
  ...cluster.env,
  ENABLE_TEST_ANALYSES: 'true',
  STALLED_AFTER_MS: '1500',
  WORKER_CONCURRENCY: '8',
  RETRY_BACKOFF_MS: '100',
  RETRY_BACKOFF_MAX_MS: '200',
  RATE_LIMIT_JOBS_PER_MINUTE: '0',
  RATE_LIMIT_HEAVY_PER_MINUTE: '0'
}, 2, async () => { await cluster.stop() })
const keys = createKeys('genejobs')

/** Every response body seen, to prove none of them carries a cross-slot error. */
const bodies: string[] = []
async function http (method: string, path: string, body?: unknown) {
  const res = await stack.http(method, path, body)
  bodies.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body))
  return res
}

async function finished (id: string, timeoutMs = 60_000) {
  return await waitFor(async () => {
    const { body } = await http('GET', `/jobs/${id}`)
    return body.status === 'complete' || body.status === 'failed' ? body : undefined
  }, { timeoutMs, what: `job ${id} to finish` })
}

t.test('the data routes: load, genes, search, fetch', async (t) => {
  const load = await http('POST', '/data')
  t.equal(load.status, 201)
  t.equal(load.body.loaded, 8)
  t.equal((await http('GET', '/genes/HGNC:5')).body.symbol, 'A1BG')
  const genes = await http('GET', '/genes?limit=100')
  t.equal(genes.status, 200)
  const search = await http('GET', '/search?q=A1BG')
  t.equal(search.status, 200)
  t.ok(JSON.stringify(search.body).includes('HGNC:5'), 'search finds A1BG')
  const fetched = await http('GET', '/fetch/symbol/A1BG')
  t.equal(fetched.status, 200)
  t.ok(JSON.stringify(fetched.body).includes('HGNC:5'), 'fetch finds A1BG')
})

t.test('jobs on two workers: each completed once, its result in every format', async (t) => {
  const submitted = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
    await http('POST', '/jobs', { hgnc_id_start: 'HGNC:1', hgnc_id_end: `HGNC:${1000 + i}` })))
  t.ok(submitted.every((res) => res.status === 201), 'all accepted')
  for (const { body } of submitted) {
    const job = await finished(body.id)
    t.equal(job.status, 'complete')
    t.equal(job.attempts, 1)
  }
  const id = submitted[0]?.body.id as string
  for (const format of ['json', 'csv', 'tsv', 'svg', 'png', 'vega-lite']) {
    const res = await fetch(`${stack.baseUrl}/results/${id}?format=${format}`)
    t.equal(res.status, 200, `the result as ${format}`)
    await res.arrayBuffer()
  }
})

t.test('a killed worker\'s job is recovered by the other; failing jobs are retried, then failed', async (t) => {
  const job = (await http('POST', '/jobs', { analysis: 'test-sleep', ms: 4000 })).body
  const holder = await waitFor(() => stack.workers.find((worker) => worker.logs.some((line) => line.msg === 'job started' && line['jobId'] === job.id)), { what: 'a worker to start the job' })
  await holder.stop('SIGKILL')
  stack.startWorker()
  const done = await finished(job.id)
  t.equal(done.status, 'complete')
  t.equal(done.attempts, 2, 'the second attempt completed it')

  const poison = (await http('POST', '/jobs', { analysis: 'test-throw' })).body
  const failed = await finished(poison.id)
  t.equal(failed.status, 'failed')
  t.equal(failed.attempts, 3, 'tried MAX_ATTEMPTS times')
  const retried = await http('POST', `/jobs/${poison.id}/retry`)
  t.equal(retried.status, 200)
  t.equal((await finished(poison.id)).attempts, 3, 'an operator retry runs it again')
})

t.test('job events reach the API\'s one subscriber from any master, in order, to the end', async (t) => {
  const job = (await http('POST', '/jobs', { analysis: 'test-sleep', ms: 500 })).body
  const res = await fetch(`${stack.baseUrl}/jobs/${job.id}/events`)
  t.equal(res.status, 200)
  const text = await res.text() // the stream ends once the job is complete
  const statuses = [...text.matchAll(/"status":"([a-z ]+)"/g)].map((match) => match[1])
  t.equal(statuses.at(-1), 'complete', 'the last event says complete')
  t.ok(statuses.includes('in progress'), 'progress events from the record\'s master arrived')
  bodies.push(text)
})

t.test('after 1,000 jobs every master holds at least 20% of the result keys', async (t) => {
  const ids: string[] = []
  for (let batch = 0; batch < 20; batch++) {
    const created = await Promise.all(Array.from({ length: 50 }, async () => await http('POST', '/jobs', { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:8' })))
    t.ok(created.every((res) => res.status === 201), `batch ${batch} accepted`)
    ids.push(...created.map((res) => res.body.id as string))
  }
  await waitFor(async () => {
    const { body } = await http('GET', '/queue')
    return body.pending === 0 && body.in_progress === 0 && body.delayed === 0 ? true : undefined
  }, { timeoutMs: 90_000, what: 'the queue to drain' })
  const masters = await cluster.masterPorts()
  t.equal(masters.length, 3)
  const counts = await Promise.all(masters.map(async (port) =>
    (await cluster.cli(port, ['--scan', '--pattern', keys.results.result('*')])).split('\n').filter((line) => line !== '').length))
  const total = counts.reduce((a, b) => a + b, 0)
  t.ok(total >= 1000, `${total} result keys`)
  t.comment(`result keys per master: ${counts.join(', ')}`)
  t.ok(counts.every((count) => count >= 0.2 * total), 'every master holds at least 20%')
})

t.test('no CROSSSLOT anywhere: logs and responses', async (t) => {
  const logs = [stack.api, ...stack.workers].flatMap((service) => service.logs.map((line) => JSON.stringify(line)))
  t.same(logs.filter((line) => CROSS_SLOT.test(line)), [], 'no cross-slot error in the API or worker logs')
  t.same(bodies.filter((body) => CROSS_SLOT.test(body)), [], 'no cross-slot error in any response')
  t.ok(logs.length > 0 && bodies.length > 1000)
})
