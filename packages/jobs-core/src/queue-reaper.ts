import { Command } from './commands/index.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

const stalledJobIds = new Command('stalled-job-ids-2')
const releaseClaim = new Command('release-claim-1')
const requeueStalled = new Command('requeue-stalled-5')
const orphanJobIds = new Command('orphan-job-ids-2')
const requeueOrphans = new Command('requeue-orphans')

/** Who a worker is, as its heartbeat registers it for operators (`GET /queue`). */
export interface WorkerIdentity {
  host: string
  pid: number
  /** When the worker started (ISO). */
  started_at: string
}

/** What the heartbeat and the reaper work with: the jobs client, the key names and the stall period. */
export interface ReaperContext {
  client: RedisClient
  keys: Keys
  stalledAfterMs: number
}

/**
 * Says `workerId` is alive for the next `stalledAfterMs`, and registers it for the reaper and, with
 * who it is and when it beat, for operators (kept twice as long). All on the queue's slot.
 */
export async function writeHeartbeat ({ client, keys, stalledAfterMs }: ReaperContext, workerId: string, identity: WorkerIdentity): Promise<void> {
  const now = Date.now()
  const info = keys.queue.workerInfo(workerId)
  await client.multi()
    .set(keys.queue.heartbeat(workerId), String(now), { expiration: { type: 'PX', value: stalledAfterMs } })
    .sAdd(keys.queue.workers, workerId)
    .hSet(info, { host: identity.host, pid: String(identity.pid), started_at: identity.started_at, heartbeat_at: String(now) })
    .pExpire(info, 2 * stalledAfterMs)
    .exec()
}

/**
 * Marks the records of jobs in progress under `workerId` (a worker found dead) 'submitted' again,
 * each on its own slot, all pipelined. Returns each record's state as release-claim answered.
 */
async function releaseClaims ({ client, keys }: ReaperContext, workerId: string, ids: string[], reason: string): Promise<string[]> {
  const events = keys.jobs.events('')
  return await Promise.all(ids.map(async (id) => String(await releaseClaim.run(client, [keys.jobs.record(id)], [workerId, reason, events, id]))))
}

/**
 * The reaper's round for one worker: when its heartbeat has expired, frees the records of the jobs
 * it held (job slots first: a crash after that leaves the ids in its processing list, and the next
 * round finishes the move), then puts the ids back at the head of the pending list and forgets the
 * worker (queue slot). Returns the re-queued job ids (none while the worker is alive).
 */
export async function requeueStalledWorker (context: ReaperContext, workerId: string): Promise<string[]> {
  const { client, keys } = context
  const q = keys.queue
  const ids = await stalledJobIds.run(client, [q.heartbeat(workerId), q.processing(workerId)], []) as string[] | null
  if (ids === null) return []
  await releaseClaims(context, workerId, ids, `the worker running it stopped responding (no heartbeat for ${context.stalledAfterMs} ms)`)
  return await requeueStalled.run(client, [q.workers, q.heartbeat(workerId), q.processing(workerId), q.pending, q.active], [workerId, ...ids]) as string[]
}

/**
 * The reaper's safety net: a job in progress whose worker is gone (no longer in the worker set, so
 * its processing list has been re-queued already) would otherwise stay 'in progress' for ever: its
 * id is in no list, or in that worker's list only (a worker given up for dead that claimed as it
 * woke, before its next heartbeat registered it again). Frees each such job's record, then moves
 * its id back to the head of the pending list; the next claim counts the attempt, and fails it
 * past the maximum.
 */
export async function requeueOrphanedJobs (context: ReaperContext): Promise<string[]> {
  const { client, keys } = context
  const q = keys.queue
  const flat = await orphanJobIds.run(client, [q.active, q.workers], []) as string[]
  if (flat.length === 0) return []
  const pairs: Array<[string, string]> = []
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string])
  const states = await Promise.all(pairs.map(async ([id, worker]) =>
    (await releaseClaims(context, worker, [id], 'the worker running it stopped and its claim was lost'))[0] as string))
  const orphans = pairs.map(([id, worker], i) => [id, worker, states[i] as string])
  const processingLists = pairs.map(([, worker]) => q.processing(worker))
  return await requeueOrphans.run(client, [q.active, q.pending, q.delayed, ...processingLists], orphans.flat()) as string[]
}
