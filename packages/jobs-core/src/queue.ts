import type { Keys } from './keys.js'
import { LuaScript } from './lua.js'
import type { RedisClient, Stores } from './redis.js'
import type { JobHash } from './jobs.js'

/** A job a worker has claimed: its record, with `attempts` already counting this attempt. */
export type ClaimedJob = JobHash & { id: string }

/** Selects a database inside a script only when it differs from the one in use. */
const USE_DB = `
local function use (db)
  if db ~= current_db then redis.call('SELECT', db); current_db = db end
end`

const claimJobs = new LuaScript('claim_jobs', `
-- Moves up to ARGV[1] job ids from the pending queue to this worker's processing list, then starts
-- each: status 'in progress', attempts + 1, started_at, worker. Ids whose record is gone or already
-- finished are dropped; a job past its attempts is failed instead of started.
-- KEYS[1]: the pending queue; KEYS[2]: this worker's processing list; KEYS[3]: job expiries zset
-- ARGV[1]: how many ids to move; ARGV[2]: queue db; ARGV[3]: jobs db; ARGV[4]: job key prefix;
--   ARGV[5]: worker id; ARGV[6]: now (ISO); ARGV[7]: max attempts; ARGV[8]: time to keep a failed
--   job (ms); ARGV[9]: now (ms); ARGV[10..]: ids already moved by a blocking BLMOVE
-- Returns the started jobs' records, each as a flat field/value array.
local current_db = ARGV[2]
${USE_DB}
local ids = {}
for i = 10, #ARGV do ids[#ids + 1] = ARGV[i] end
for _ = 1, tonumber(ARGV[1]) do
  local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not id then break end
  ids[#ids + 1] = id
end
local started, drop = {}, {}
use(ARGV[3])
for _, id in ipairs(ids) do
  local key = ARGV[4] .. id
  local status = redis.call('HGET', key, 'status')
  if status ~= 'submitted' and status ~= 'in progress' then
    drop[#drop + 1] = id
  else
    local attempts = redis.call('HINCRBY', key, 'attempts', 1)
    if attempts > tonumber(ARGV[7]) then
      local last = redis.call('HGET', key, 'last_error') or 'the worker running it stopped before finishing'
      redis.call('HSET', key, 'status', 'failed', 'attempts', attempts - 1, 'finished_at', ARGV[6],
        'error', 'failed after ' .. (attempts - 1) .. ' attempts: ' .. last)
      redis.call('HDEL', key, 'last_error', 'progress', 'worker')
      redis.call('PEXPIRE', key, ARGV[8])
      redis.call('ZADD', KEYS[3], tonumber(ARGV[9]) + tonumber(ARGV[8]), id)
      drop[#drop + 1] = id
    else
      redis.call('HSET', key, 'status', 'in progress', 'started_at', ARGV[6], 'worker', ARGV[5], 'progress', '0')
      started[#started + 1] = redis.call('HGETALL', key)
    end
  end
end
use(ARGV[2])
for _, id in ipairs(drop) do redis.call('LREM', KEYS[2], 1, id) end
return started
`)

const reapDeadWorkers = new LuaScript('reap_dead_workers', `
-- Puts the jobs of workers whose heartbeat has expired back at the head of the pending queue and
-- marks them 'submitted' with the reason, so the next attempt counts against their attempts.
-- Safe when several workers run it at once: each step is atomic and a reaped worker is forgotten.
-- KEYS[1]: the set of worker ids; KEYS[2]: the pending queue
-- ARGV[1]: worker key prefix (heartbeat and processing keys share it and the hash tag);
--   ARGV[2]: queue db; ARGV[3]: jobs db; ARGV[4]: job key prefix; ARGV[5]: stalled-after (ms)
-- Returns the re-queued job ids.
local current_db = ARGV[2]
${USE_DB}
local requeued = {}
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. worker .. ':heartbeat') == 0 then
    local processing = ARGV[1] .. worker .. ':processing'
    while true do
      local id = redis.call('LMOVE', processing, KEYS[2], 'RIGHT', 'RIGHT')
      if not id then break end
      requeued[#requeued + 1] = id
    end
    redis.call('SREM', KEYS[1], worker)
  end
end
if #requeued > 0 then
  use(ARGV[3])
  local reason = 'the worker running it stopped responding (no heartbeat for ' .. ARGV[5] .. ' ms)'
  for _, id in ipairs(requeued) do
    local key = ARGV[4] .. id
    if redis.call('HGET', key, 'status') == 'in progress' then
      redis.call('HSET', key, 'status', 'submitted', 'last_error', reason)
      redis.call('HDEL', key, 'worker', 'progress')
    end
  end
end
return requeued
`)

/** Settings of the reliable queue. */
export interface QueueOptions {
  stores: Stores
  keys: Keys
  /** A worker whose heartbeat is older than this is dead and its jobs are re-queued (ms). */
  stalledAfterMs: number
  /** After this many attempts a job fails. */
  maxAttempts: number
  /** How long finished jobs are kept (ms). */
  jobTtlMs: number
}

/**
 * The job queue: a Redis list of job ids in the queue store. Producers push on the left (LPUSH);
 * workers move ids atomically to their own processing list (LMOVE/BLMOVE), so a job taken by a
 * worker that dies is still in Redis, and the reaper puts it back. An id leaves the processing list
 * only when its job is finished (see `JobStore.complete` and `finishWithError`).
 */
export class JobQueue {
  private readonly stores: Stores
  private readonly keys: Keys
  private readonly options: QueueOptions

  constructor (options: QueueOptions) {
    this.stores = options.stores
    this.keys = options.keys
    this.options = options
  }

  /** How many job ids wait in the queue. */
  async depth (): Promise<number> {
    return await this.stores.queue.lLen(this.keys.queue.pending)
  }

  /**
   * Claims up to `count` jobs for `workerId` without blocking; `alreadyMoved` are ids a blocking
   * `waitForJob` moved. Returns the started jobs' records (attempts counted, status in progress).
   */
  async claim (workerId: string, count: number, alreadyMoved: string[] = []): Promise<ClaimedJob[]> {
    const { queue, jobs } = this.stores.databases
    const now = Date.now()
    const reply = await claimJobs.run(this.stores.queue,
      [this.keys.queue.pending, this.keys.queue.processing(workerId), this.keys.jobs.expiries],
      [count, queue, jobs, this.keys.jobs.record(''), workerId, new Date(now).toISOString(), this.options.maxAttempts, this.options.jobTtlMs, now, ...alreadyMoved]) as string[][]
    return reply.map((flat) => {
      const record: Record<string, string> = {}
      for (let i = 0; i < flat.length; i += 2) record[flat[i] as string] = flat[i + 1] as string
      return record as ClaimedJob
    })
  }

  /**
   * Blocks up to `timeoutSeconds` on `client` (a connection of its own) for the next job id and
   * moves it to the worker's processing list (BLMOVE). Returns the id, or null on timeout.
   */
  async waitForJob (client: RedisClient, workerId: string, timeoutSeconds: number): Promise<string | null> {
    return await client.blMove(this.keys.queue.pending, this.keys.queue.processing(workerId), 'RIGHT', 'LEFT', timeoutSeconds)
  }

  /** Says `workerId` is alive for the next `stalledAfterMs`, and registers it for the reaper. */
  async heartbeat (workerId: string): Promise<void> {
    await this.stores.queue.multi()
      .set(this.keys.queue.heartbeat(workerId), String(Date.now()), { expiration: { type: 'PX', value: this.options.stalledAfterMs } })
      .sAdd(this.keys.queue.workers, workerId)
      .exec()
  }

  /** Re-queues the jobs of workers whose heartbeat expired. Returns the re-queued job ids. */
  async reap (): Promise<string[]> {
    const { queue, jobs } = this.stores.databases
    return await reapDeadWorkers.run(this.stores.queue, [this.keys.queue.workers, this.keys.queue.pending],
      [this.keys.queue.workerPrefix, queue, jobs, this.keys.jobs.record(''), this.options.stalledAfterMs]) as string[]
  }

  /**
   * Ends a worker's heartbeat as it stops. It stays known to the reaper, which forgets it on its
   * next round and re-queues any job it still held (one it had to abandon at shutdown).
   */
  async unregister (workerId: string): Promise<void> {
    await this.stores.queue.del(this.keys.queue.heartbeat(workerId))
  }

  /** The job ids a worker holds. */
  async processing (workerId: string): Promise<string[]> {
    return await this.stores.queue.lRange(this.keys.queue.processing(workerId), 0, -1)
  }
}
