// The job listing (GET /jobs): a list of ids in the order of creation, pruned of expired jobs by
// the reaper, and carried over from the sorted set older releases kept.
import t from 'tap'
import { startTestRedis, waitFor } from '@genejobs/test-support'
import { JobQueue } from '../src/queue.js'
import type { JobRequest } from '../src/schemas/jobs.js'

const redis = await startTestRedis()
t.teardown(redis.close)
const { stores, keys } = redis
const policy = { stalledAfterMs: 1000, maxAttempts: 3, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 }
const request: JobRequest = { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }

t.beforeEach(async () => {
  await stores.jobs.flushAll()
})

/** How many times Redis has run `command` (INFO commandstats), scripts' calls included. */
async function calls (command: string): Promise<number> {
  const stats = await stores.queue.info('commandstats')
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
}

t.test('a round with only young jobs listed reads the oldest entry and no more', async (t) => {
  const queue = new JobQueue({ stores, keys, policy })
  await queue.createMany(Array.from({ length: 600 }, () => request))
  const before = await calls('lrange')
  await queue.reap()
  t.equal(await calls('lrange'), before, 'no chunk read: nothing can have expired yet')
  t.equal(await stores.queue.lLen(keys.jobs.listing), 600)
})

t.test('expired jobs behind an old job that lives on are pruned, chunk by chunk', async (t) => {
  const shortLived = new JobQueue({ stores, keys, policy: { ...policy, ttlMs: 300 } })
  const waiting = await shortLived.create(request) // never claimed: it lives on at the tail
  await stores.queue.lRem(keys.queue.pending, 0, waiting.id)
  const finished: string[] = []
  for (let sent = 0; sent < 700; sent += 100) {
    finished.push(...await shortLived.createMany(Array.from({ length: 100 }, () => request)))
  }
  const claims = await shortLived.claim('w1', 700)
  t.equal(claims.length, 700)
  t.same(await shortLived.completeMany('w1', claims.map((claim) => ({ claim, result: { json: '{}' } }))), claims.map(() => true))
  await waitFor(async () => (await shortLived.get(finished.at(-1) ?? '')) === null, { what: 'the finished jobs to expire' })
  await waitFor(async () => { await shortLived.reap(); return await stores.queue.lLen(keys.jobs.listing) === 1 }, { what: 'reaper rounds to prune 700 expired jobs', timeoutMs: 10_000 })
  t.same(await stores.queue.lRange(keys.jobs.listing, 0, -1), [waiting.id], 'only the job that lives on is left')
})

t.test('the sorted set an older release listed jobs in moves to the tail, newest first, nothing lost', async (t) => {
  const queue = new JobQueue({ stores, keys, policy })
  const old = await queue.createMany([request, request, request])
  // As an older release left them: in a sorted set by creation time, not in the list.
  await stores.queue.del(keys.jobs.listing)
  await stores.queue.zAdd(keys.jobs.legacyIndex, old.map((id, i) => ({ score: 1000 + i, value: id })))
  const recent = await queue.create(request)
  await queue.reap()
  t.same(await stores.queue.lRange(keys.jobs.listing, 0, -1), [recent.id, old[2], old[1], old[0]])
  t.equal(await stores.queue.exists(keys.jobs.legacyIndex), 0, 'the sorted set is gone')
  t.same(await queue.list(), [recent.id, old[2], old[1], old[0]], 'GET /jobs lists them all, newest first')
})
