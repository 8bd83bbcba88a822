// GET /jobs/:id/events across a Redis restart: the one subscriber reconnects and re-reads the
// watched jobs, so a stream goes on (data kept) or ends cleanly (data lost).
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { JobQueue } from '@genejobs/jobs-core'
import { waitFor } from '@genejobs/test-support'
import { buildTestApp, claimJob } from '../helper.js'
import { openSse } from '../sse.js'

const { app, redis } = await buildTestApp(t, {}, { appendOnly: true, appendfsync: 'always' })
await app.listen({ port: 0, host: '127.0.0.1' })
const queue = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: redis.config.jobs })
const subscribed = async () => { await waitFor(async () => (await app.inject({ method: 'GET', url: '/jobs/00000000-0000-4000-8000-000000000000/events' })).statusCode === 404, { what: 'the event subscriber to connect' }) }
await subscribed()

const restart = async (loseData: boolean) => {
  await redis.server.kill()
  if (loseData) await rm(join(redis.server.dir, 'appendonlydir'), { recursive: true, force: true })
  await redis.server.restart()
  await waitFor(() => app.stores.isReady() && redis.stores.isReady(), { timeoutMs: 15_000, what: 'the clients to reconnect' })
}

t.test('Redis restarts with its data: the stream goes on and ends at complete', async (t) => {
  const job = await queue.create({ analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2' })
  const stream = await openSse(app, `/jobs/${job.id}/events`)
  t.match((await stream.next()).data, { status: 'submitted' })
  await restart(false)
  await claimJob(app, queue, job.id)
  // Published before or after the subscriber was back: either the message or the re-read brings it.
  t.match(await stream.next(15_000), { event: 'status', data: { status: 'in progress', attempts: 1 } })
  await subscribed()
  t.ok(await queue.complete({ id: job.id, attempts: 1 }, 'test-worker', { json: '{}' }))
  t.match(await stream.next(), { event: 'status', data: { status: 'complete' } })
  await stream.ended
  t.same(stream.pending(), [])
})

t.test('Redis restarts without its data: the stream of a job that is gone ends cleanly', async (t) => {
  const job = await queue.create({ analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2' })
  const stream = await openSse(app, `/jobs/${job.id}/events`)
  t.match((await stream.next()).data, { status: 'submitted' })
  await restart(true)
  await stream.ended
  t.same(stream.pending(), [], 'no event for a job that no longer exists')
  await waitFor(() => app.jobEvents.size === 0, { what: 'the stream to be forgotten' })
})
