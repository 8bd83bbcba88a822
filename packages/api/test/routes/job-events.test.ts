// GET /jobs/:id/events over a real HTTP listener (app.listen on port 0, read with node:http), driven
// by the real JobQueue transitions (the 404s are read with fetch) a worker makes.
import t from 'tap'
import { JobQueue } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { buildTestApp, claimJob } from '../helper.js'
import { openSse } from '../sse.js'

const { app, redis } = await buildTestApp(t)
await app.inject({ method: 'POST', url: '/data' })
await app.listen({ port: 0, host: '127.0.0.1' })
const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: { ...redis.config.jobs, retryBackoffMs: 0 } })
// The subscriber connects on its own; a stream before that would be a 503.
await waitFor(async () => (await app.inject({ method: 'GET', url: '/jobs/00000000-0000-4000-8000-000000000000/events' })).statusCode === 404, { what: 'the event subscriber to connect' })

const submit = async (): Promise<string> => {
  const res = await app.inject({ method: 'POST', url: '/jobs', payload: { hgnc_id_start: '1', hgnc_id_end: '10' } })
  t.equal(res.statusCode, 201)
  return res.json().id as string
}

t.test('one event per status or progress change, in order, and the stream ends at complete', async (t) => {
  const id = await submit()
  const stream = await openSse(app, `/jobs/${id}/events`)
  t.equal(stream.status, 200)
  t.match(stream.headers['content-type'], /^text\/event-stream/)
  t.equal(stream.headers['cache-control'], 'no-cache, no-transform')
  const first = await stream.next()
  t.same(first, { event: 'status', id: '0', data: { id, seq: 0, status: 'submitted', attempts: 0 } }, 'the current state first')

  await claimJob(app, queue, id)
  const started = await stream.next()
  t.equal(started.event, 'status')
  t.match(started.data, { id, seq: 1, status: 'in progress', attempts: 1, progress: 0, started_at: String })
  t.ok(await queue.setProgress({ id, attempts: 1 }, 'test-worker', 40))
  t.ok(await queue.setProgress({ id, attempts: 1 }, 'test-worker', 40), 'the same progress again: no event')
  t.ok(await queue.setProgress({ id, attempts: 1 }, 'test-worker', 80))
  t.same((await stream.next()), { event: 'progress', id: '2', data: { ...started.data, seq: 2, progress: 40 } })
  t.same((await stream.next()), { event: 'progress', id: '3', data: { ...started.data, seq: 3, progress: 80 } })
  t.ok(await queue.complete({ id, attempts: 1 }, 'test-worker', { json: '{}' }))
  const complete = await stream.next()
  t.equal(complete.event, 'status')
  t.match(complete.data, { id, seq: 4, status: 'complete', attempts: 1, progress: 100, finished_at: String })
  await stream.ended
  t.same(stream.pending(), [], 'nothing after the final event')
  await waitFor(() => app.jobEvents.size === 0, { what: 'the stream to be forgotten' })

  // A finished job answers with its final event at once, and the stream ends.
  const again = await openSse(app, `/jobs/${id}/events`)
  t.same(await again.next(), complete)
  await again.ended
  t.same(again.pending(), [])
})

t.test('a retry and a final failure: submitted with last_error, a second attempt, failed ends the stream', async (t) => {
  const id = await submit()
  const stream = await openSse(app, `/jobs/${id}/events`)
  t.match((await stream.next()).data, { status: 'submitted', seq: 0 })
  await claimJob(app, queue, id)
  t.match((await stream.next()).data, { status: 'in progress', attempts: 1 })
  t.equal(await queue.finishWithError({ id, attempts: 1 }, 'test-worker', 'Redis went away', true), 'retry')
  const retrying = await stream.next()
  t.equal(retrying.event, 'status')
  t.same(retrying.data, { id, seq: 2, status: 'submitted', attempts: 1, last_error: 'Redis went away', started_at: (retrying.data)['started_at'] })
  await claimJob(app, queue, id)
  t.match((await stream.next()), { event: 'status', data: { status: 'in progress', attempts: 2, seq: 3 } })
  t.equal(await queue.finishWithError({ id, attempts: 2 }, 'test-worker', 'bad parameters', false), 'failed')
  const failed = await stream.next()
  t.match(failed, { event: 'status', data: { status: 'failed', attempts: 2, seq: 4, error: 'bad parameters', finished_at: String } })
  await stream.ended
  t.same(stream.pending(), [])

  const again = await openSse(app, `/jobs/${id}/events`)
  t.same(await again.next(), failed, 'a failed job answers with its final event at once')
  await again.ended
})

t.test('events the first read already covered are dropped (seq), later ones pass', async (t) => {
  const id = await submit()
  const stream = await openSse(app, `/jobs/${id}/events`)
  t.match((await stream.next()).data, { seq: 0 })
  await claimJob(app, queue, id)
  t.match((await stream.next()).data, { seq: 1, status: 'in progress' })
  // A late copy of an older state, as a subscriber could hear it after the read: ignored.
  await redis.stores.jobs.publish(redis.keys.jobs.events(id), JSON.stringify({ id, seq: 1, status: 'submitted', attempts: '0' }))
  t.ok(await queue.setProgress({ id, attempts: 1 }, 'test-worker', 50))
  t.match(await stream.next(), { event: 'progress', data: { seq: 2, progress: 50 } }, 'the stale copy never reached the client')
  await stream.cancel()
  await waitFor(() => app.jobEvents.size === 0, { what: 'a cancelled stream to be forgotten' })
})

t.test('many streams of one job share one subscription; a client leaving frees its stream', async (t) => {
  const id = await submit()
  const streams = await Promise.all(Array.from({ length: 20 }, async () => await openSse(app, `/jobs/${id}/events`)))
  for (const stream of streams) t.match((await stream.next()).data, { status: 'submitted' })
  t.equal(app.jobEvents.size, 20)
  const channels = await redis.stores.jobs.sendCommand(['PUBSUB', 'NUMSUB', redis.keys.jobs.events(id)]) as [string, number]
  t.equal(Number(channels[1]), 1, 'one subscription on Redis for all of them')
  await streams[0]?.cancel()
  await waitFor(() => app.jobEvents.size === 19, { what: 'the cancelled stream to close' })
  await claimJob(app, queue, id)
  for (const stream of streams.slice(1)) t.match((await stream.next()).data, { status: 'in progress' })
  await Promise.all(streams.map(async (stream) => { await stream.cancel() }))
  await waitFor(async () => {
    const [, count] = await redis.stores.jobs.sendCommand(['PUBSUB', 'NUMSUB', redis.keys.jobs.events(id)]) as [string, number]
    return Number(count) === 0
  }, { what: 'the channel to be unsubscribed once nobody watches' })
})

t.test('an unknown job is a 404 in the error shape, and so is a malformed id (as on every job route)', async (t) => {
  const address = app.server.address() as { port: number }
  const unknown = '11111111-2222-4333-8444-555555555555'
  const res = await fetch(`http://127.0.0.1:${address.port}/jobs/${unknown}/events`)
  t.equal(res.status, 404)
  t.match(res.headers.get('content-type'), /^application\/json/)
  t.same(await res.json(), { statusCode: 404, error: 'Not Found', message: `no job with id ${unknown}` })
  const bad = await fetch(`http://127.0.0.1:${address.port}/jobs/nope/events`)
  t.equal(bad.status, 404)
  t.match(await bad.json(), { statusCode: 404, error: 'Not Found', message: /^params\/id must be a job id/ })
  t.equal(app.jobEvents.size, 0, 'no stream left open')
})

t.test('closing the app ends the open streams', async (t) => {
  // An app of its own: connections earlier tests' clients left open are not this test's subject.
  const { app, redis } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const job = await new JobQueue({ stores: redis.stores, keys: redis.keys, policy: redis.config.jobs }).create({ analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2' })
  await waitFor(async () => (await app.inject({ method: 'GET', url: '/jobs/00000000-0000-4000-8000-000000000000/events' })).statusCode === 404, { what: 'the event subscriber to connect' })
  const stream = await openSse(app, `/jobs/${job.id}/events`)
  t.match((await stream.next()).data, { status: 'submitted' })
  const started = Date.now()
  await app.close()
  t.ok(Date.now() - started < 5000, `closed in ${Date.now() - started} ms`)
  await stream.ended
  t.pass('the stream ended with the server')
})
