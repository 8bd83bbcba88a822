// End to end: redis-server, the API and two workers as real processes; a fixture loaded over HTTP;
// 50 jobs submitted; every result checked against a computation written independently here.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { fixturePath, waitFor } from '@genejobs/test-support'
import { startStack } from './helpers.js'

type Doc = Record<string, string>
const docs = (JSON.parse(readFileSync(fixturePath('genes.json'), 'utf8')) as { response: { docs: Doc[] } }).response.docs

/** The expected approval-timeline, computed straight from the fixture file. */
function expected (params: Record<string, string>) {
  const number = (id: string) => Number(id.replace(/^HGNC:/i, ''))
  const chromosome = (location = '') => location === 'mitochondria' ? 'MT' : (/^(X|Y|\d+)/.exec(location)?.[1] ?? null)
  const genes = docs.filter((doc) => {
    const id = number(doc['hgnc_id'] ?? '')
    return id >= number(params['hgnc_id_start'] ?? '') && id <= number(params['hgnc_id_end'] ?? '') &&
      (params['locus_group'] === undefined || doc['locus_group'] === params['locus_group']) &&
      (params['status'] === undefined || doc['status'] === params['status']) &&
      (params['chromosome'] === undefined || chromosome(doc['location']) === params['chromosome'])
  })
  const dated = genes.filter((doc) => doc['date_approved_reserved'] !== undefined)
  const cells: Record<string, number> = {}
  for (const doc of dated) {
    const key = `${doc['date_approved_reserved']?.slice(0, 4)} ${doc['locus_group']}`
    cells[key] = (cells[key] ?? 0) + 1
  }
  const dates = dated.map((doc) => doc['date_approved_reserved'] ?? '').sort()
  return { total: genes.length, undated: genes.length - dated.length, earliest: dates[0] ?? null, latest: dates.at(-1) ?? null, cells }
}

t.test('50 jobs through the API and two worker processes: each completed once, each result right', async (t) => {
  const stack = await startStack(t, { workers: 2 })
  const load = await stack.http('POST', '/data')
  t.equal(load.status, 201)
  t.equal(load.body.loaded, 8)

  // A deterministic spread of ranges and filters.
  const ids = [1, 5, 7, 8, 1100, 7421, 30000, 37133, 50000]
  const filters = [{}, { locus_group: 'protein-coding gene' }, { status: 'Approved' }, { chromosome: '19' }, { chromosome: 'MT' }, { status: 'Entry Withdrawn' }]
  const requests = Array.from({ length: 50 }, (_, i) => {
    const a = ids[i % ids.length] as number
    const b = ids[(i * 7 + 3) % ids.length] as number
    return { hgnc_id_start: `HGNC:${Math.min(a, b)}`, hgnc_id_end: String(Math.max(a, b)), ...filters[i % filters.length] }
  })
  const submitted = await Promise.all(requests.map(async (request) => await stack.http('POST', '/jobs', request)))
  t.ok(submitted.every((res) => res.status === 201), 'all 50 accepted')
  const jobIds = submitted.map((res) => res.body.id as string)

  const jobs = await waitFor(async () => {
    const all = await Promise.all(jobIds.map(async (id) => (await stack.http('GET', `/jobs/${id}`)).body))
    return all.every((job) => job.status === 'complete') ? all : undefined
  }, { timeoutMs: 60_000, what: 'all 50 jobs to complete' })
  t.ok(jobs.every((job) => job.attempts === 1), 'each started once')

  for (const [i, id] of jobIds.entries()) {
    const { status, body } = await stack.http('GET', `/results/${id}`)
    t.equal(status, 200)
    const want = expected(submitted[i]?.body.params)
    const cells: Record<string, number> = {}
    for (const row of body.rows) cells[`${row.year} ${row.locus_group}`] = row.count
    t.same({ total: body.summary.total, undated: body.summary.undated, earliest: body.summary.earliest, latest: body.summary.latest, cells }, want, `job ${i}: ${JSON.stringify(requests[i])}`)
  }

  // Exactly once: across both worker processes, one "complete" log line per job.
  const finishedLines = stack.workers.flatMap((worker) => worker.logs.filter((line) => line.msg === 'job finished' && line['outcome'] === 'complete'))
  const perJob: Record<string, number> = {}
  for (const line of finishedLines) perJob[String(line['jobId'])] = (perJob[String(line['jobId'])] ?? 0) + 1
  t.equal(Object.keys(perJob).length, 50)
  t.ok(Object.values(perJob).every((count) => count === 1), 'no job completed twice')
  t.ok(finishedLines.every((line) => typeof line['ms'] === 'number'), 'each job logs its duration')
  t.ok(stack.workers.flatMap((worker) => worker.logs).some((line) => line.msg === 'job started'), 'job start is logged')

  const listed = await stack.http('GET', '/jobs?status=complete&limit=1000')
  t.same([...listed.body.jobs].sort(), [...jobIds].sort())
})
