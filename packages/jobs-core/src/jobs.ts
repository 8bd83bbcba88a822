import { v4 as uuidv4 } from 'uuid'
import { GenejobsError } from './errors.js'
import type { Keys } from './keys.js'
import { LuaScript } from './lua.js'
import type { RedisClient, Stores } from './redis.js'
import { JOB_STATUSES, type JobRequest, type JobStatus } from './schemas/jobs.js'

/** A job as the API shows it. */
export interface Job {
  id: string
  status: JobStatus
  analysis: string
  params: Record<string, unknown>
  created_at: string
  started_at?: string
  finished_at?: string
  /** How many times a worker has started it. */
  attempts: number
  /** 0-100 while in progress; 100 when complete. */
  progress?: number
  /** Why it failed (final). */
  error?: string
  /** Why the previous attempt failed, while it waits for a retry. */
  last_error?: string
}

/** A job's fields as they come out of its Redis hash. */
export type JobHash = Record<string, string>

/** How long finished jobs and their results are kept: 7 days. */
export const DEFAULT_JOB_TTL_MS = 7 * 24 * 60 * 60 * 1000

/** Tells a job id (UUID v4, any case) from anything else. */
export const JOB_ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$'
const JOB_ID = new RegExp(JOB_ID_PATTERN)

/** Checks a job id; throws `INVALID_ID` unless it is a UUID v4. Returns it lower-cased. */
export function checkJobId (id: string): string {
  if (!JOB_ID.test(id)) throw new GenejobsError('INVALID_ID', `"${id.slice(0, 40)}" is not a job id: expected a UUID such as 3b241101-e2bb-4255-8caf-4136c566a962`)
  return id.toLowerCase()
}

/** Selects `ARGV[n]` as the database only when the stores live in different databases. */
const SELECT = `
local function use (db)
  if db ~= current_db then redis.call('SELECT', db); current_db = db end
end`

const createJob = new LuaScript('create_job', `
-- Creates a job record, lists it, and queues its id, all or nothing.
-- KEYS[1]: the job hash; KEYS[2]: the job index (zset); KEYS[3]: the pending queue (list)
-- ARGV[1]: jobs db; ARGV[2]: queue db; ARGV[3]: job id; ARGV[4]: created time (ms);
--   ARGV[5..]: the job hash's field/value pairs
local current_db = ARGV[1]
${SELECT}
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
use(ARGV[2])
redis.call('LPUSH', KEYS[3], ARGV[3])
return 1
`)

const completeJobs = new LuaScript('complete_jobs', `
-- Stores the results of one or more jobs, marks them complete and takes them off the worker's
-- processing list. Only the worker that holds a job may complete it (a job re-queued from a worker
-- thought dead is not completed twice).
-- KEYS[1]: the worker's processing list; KEYS[2]: the job expiries zset;
--   then for each job: its job hash and its result hash (KEYS[3], KEYS[4] for the first job)
-- ARGV[1]: jobs db; ARGV[2]: results db; ARGV[3]: queue db; ARGV[4]: worker id;
--   ARGV[5]: finished time (ISO); ARGV[6]: time to keep (ms); ARGV[7]: expiry time (ms);
--   then for each job: its id, the number n of result fields, and n field/value pairs
-- Returns, per job, 1 when completed and 0 when it was no longer this worker's.
local current_db = ARGV[1]
${SELECT}
local outcomes = {}
local a = 8
for k = 3, #KEYS, 2 do
  local id = ARGV[a]
  local first = a + 2
  local last = first + 2 * tonumber(ARGV[a + 1]) - 1
  a = last + 1
  use(ARGV[1])
  local state = redis.call('HMGET', KEYS[k], 'status', 'worker')
  local done = 0
  if state[1] == 'in progress' and state[2] == ARGV[4] then
    redis.call('HSET', KEYS[k], 'status', 'complete', 'finished_at', ARGV[5], 'progress', '100')
    redis.call('HDEL', KEYS[k], 'last_error', 'worker')
    redis.call('PEXPIRE', KEYS[k], ARGV[6])
    redis.call('ZADD', KEYS[2], ARGV[7], id)
    use(ARGV[2])
    redis.call('DEL', KEYS[k + 1])
    redis.call('HSET', KEYS[k + 1], unpack(ARGV, first, last))
    redis.call('PEXPIRE', KEYS[k + 1], ARGV[6])
    done = 1
  end
  use(ARGV[3])
  redis.call('LREM', KEYS[1], 1, id)
  outcomes[#outcomes + 1] = done
end
return outcomes
`)

const failOrRetryJob = new LuaScript('fail_or_retry_job', `
-- After an attempt threw: puts the job back on the queue while attempts remain (and the error is
-- retryable), else marks it failed with the error. Only the worker holding the job may do this.
-- KEYS[1]: the job hash; KEYS[2]: the worker's processing list; KEYS[3]: the pending queue;
--   KEYS[4]: the job expiries zset
-- ARGV[1]: jobs db; ARGV[2]: queue db; ARGV[3]: job id; ARGV[4]: worker id; ARGV[5]: error message;
--   ARGV[6]: '1' when a retry may help; ARGV[7]: max attempts; ARGV[8]: finished time (ISO);
--   ARGV[9]: time to keep (ms); ARGV[10]: expiry time (ms)
-- Returns 'retry', 'failed', or 'stale' when the job was no longer this worker's.
local current_db = ARGV[1]
${SELECT}
local outcome = 'stale'
if redis.call('HGET', KEYS[1], 'status') == 'in progress' and redis.call('HGET', KEYS[1], 'worker') == ARGV[4] then
  local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
  if ARGV[6] == '1' and attempts < tonumber(ARGV[7]) then
    redis.call('HSET', KEYS[1], 'status', 'submitted', 'last_error', ARGV[5])
    redis.call('HDEL', KEYS[1], 'worker', 'progress')
    outcome = 'retry'
  else
    local message = ARGV[5]
    if ARGV[6] == '1' then message = 'failed after ' .. attempts .. ' attempts: ' .. ARGV[5] end
    redis.call('HSET', KEYS[1], 'status', 'failed', 'error', message, 'finished_at', ARGV[8])
    redis.call('HDEL', KEYS[1], 'last_error', 'progress')
    redis.call('PEXPIRE', KEYS[1], ARGV[9])
    redis.call('ZADD', KEYS[4], ARGV[10], ARGV[3])
    outcome = 'failed'
  end
end
use(ARGV[2])
redis.call('LREM', KEYS[2], 1, ARGV[3])
if outcome == 'retry' then redis.call('LPUSH', KEYS[3], ARGV[3]) end
return outcome
`)

const setProgress = new LuaScript('set_progress', `
-- KEYS[1]: the job hash. ARGV[1]: worker id; ARGV[2]: progress 0-100.
-- Only the worker holding an in-progress job may move its progress.
if redis.call('HGET', KEYS[1], 'status') == 'in progress' and redis.call('HGET', KEYS[1], 'worker') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'progress', ARGV[2])
  return 1
end
return 0
`)

const pruneExpiredJobs = new LuaScript('prune_expired_jobs', `
-- Drops expired jobs from the listing (their hashes expire by themselves).
-- KEYS[1]: the expiries zset; KEYS[2]: the job index. ARGV[1]: now (ms). Returns how many.
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('ZREM', KEYS[2], unpack(expired))
  redis.call('ZREM', KEYS[1], unpack(expired))
end
return #expired
`)

/** Turns a job hash into the API's job object (or null for a missing hash). */
export function jobFromHash (hash: JobHash): Job | null {
  const id = hash['id']
  if (id === undefined) return null
  const job: Job = {
    id,
    status: (JOB_STATUSES as readonly string[]).includes(hash['status'] ?? '') ? hash['status'] as JobStatus : 'submitted',
    analysis: hash['analysis'] ?? '',
    params: JSON.parse(hash['params'] ?? '{}') as Record<string, unknown>,
    created_at: hash['created_at'] ?? '',
    attempts: Number(hash['attempts'] ?? 0)
  }
  if (hash['started_at'] !== undefined) job.started_at = hash['started_at']
  if (hash['finished_at'] !== undefined) job.finished_at = hash['finished_at']
  if (hash['progress'] !== undefined) job.progress = Number(hash['progress'])
  if (hash['error'] !== undefined) job.error = hash['error']
  if (hash['last_error'] !== undefined) job.last_error = hash['last_error']
  return job
}

/** What `JobStore` needs. */
export interface JobStoreOptions {
  stores: Stores
  keys: Keys
  /** How long finished jobs and results are kept (ms); default 7 days. */
  jobTtlMs?: number
}

/** How a worker's attempt at a job ended, for `JobStore.finishWithError`. */
export type ErrorOutcome = 'retry' | 'failed' | 'stale'

/**
 * Job records in the jobs store, and every change of a job's status. Each change is one Lua script,
 * so a job is never half-created, half-completed or lost between the queue and its record.
 */
export class JobStore {
  private readonly stores: Stores
  private readonly keys: Keys
  private readonly jobs: RedisClient
  readonly jobTtlMs: number

  constructor (options: JobStoreOptions) {
    this.stores = options.stores
    this.keys = options.keys
    this.jobs = options.stores.jobs
    this.jobTtlMs = options.jobTtlMs ?? DEFAULT_JOB_TTL_MS
  }

  private fieldsFor (request: JobRequest, id: string, now: Date): string[] {
    const { analysis, ...params } = request
    return ['id', id, 'status', 'submitted', 'analysis', analysis, 'params', JSON.stringify(params), 'created_at', now.toISOString(), 'attempts', '0']
  }

  /** Creates a job from a validated request and queues it, atomically. Returns the new job. */
  async create (request: JobRequest): Promise<Job> {
    const id = uuidv4()
    const now = new Date()
    const fields = this.fieldsFor(request, id, now)
    await createJob.run(this.jobs, [this.keys.jobs.record(id), this.keys.jobs.index, this.keys.queue.pending],
      [this.stores.databases.jobs, this.stores.databases.queue, id, now.getTime(), ...fields])
    return jobFromHash(Object.fromEntries(pairs(fields))) as Job
  }

  /** Creates many jobs in one pipeline (each one atomically). Returns their ids in order. */
  async createMany (requests: JobRequest[]): Promise<string[]> {
    const now = new Date()
    const ids = requests.map(() => uuidv4())
    await Promise.all(requests.map(async (request, i) => {
      const id = ids[i] as string
      await createJob.run(this.jobs, [this.keys.jobs.record(id), this.keys.jobs.index, this.keys.queue.pending],
        [this.stores.databases.jobs, this.stores.databases.queue, id, now.getTime(), ...this.fieldsFor(request, id, now)])
    }))
    return ids
  }

  /** One job, or null when there is none with this id (never created, or expired). */
  async get (id: string): Promise<Job | null> {
    return jobFromHash(await this.jobs.hGetAll(this.keys.jobs.record(checkJobId(id))))
  }

  /** Job ids, newest first, optionally only those with one status. Expired jobs are pruned first. */
  async list (options: { status?: JobStatus, limit?: number } = {}): Promise<string[]> {
    const limit = options.limit ?? 100
    await pruneExpiredJobs.run(this.jobs, [this.keys.jobs.expiries, this.keys.jobs.index], [Date.now()])
    if (options.status === undefined) return await this.jobs.zRange(this.keys.jobs.index, 0, limit - 1, { REV: true })
    const found: string[] = []
    const page = 500
    for (let start = 0; found.length < limit; start += page) {
      const ids = await this.jobs.zRange(this.keys.jobs.index, start, start + page - 1, { REV: true })
      if (ids.length === 0) break
      const statuses = await Promise.all(ids.map(async (id) => await this.jobs.hGet(this.keys.jobs.record(id), 'status')))
      ids.forEach((id, i) => { if (statuses[i] === options.status && found.length < limit) found.push(id) })
    }
    return found
  }

  /** Records a job's progress (0-100) if `workerId` still holds it. */
  async setProgress (id: string, workerId: string, progress: number): Promise<boolean> {
    const clamped = Math.max(0, Math.min(100, Math.round(progress)))
    return Number(await setProgress.run(this.jobs, [this.keys.jobs.record(id)], [workerId, clamped])) === 1
  }

  /**
   * Stores the result and marks the job complete, if `workerId` still holds it; takes it off the
   * worker's processing list either way. `result` maps result forms (`json`, `svg`, ...) to data.
   */
  async complete (id: string, workerId: string, result: Record<string, string | Buffer>): Promise<boolean> {
    const [completed = false] = await this.completeMany(workerId, [{ id, result }])
    return completed
  }

  /**
   * `complete` for several jobs of one worker in one script call (a worker finishing many short
   * jobs at once pays one round trip). Returns, per job, whether it was completed.
   */
  async completeMany (workerId: string, jobs: Array<{ id: string, result: Record<string, string | Buffer> }>): Promise<boolean[]> {
    if (jobs.length === 0) return []
    const now = Date.now()
    const { jobs: jobsDb, results, queue } = this.stores.databases
    const keys = [this.keys.queue.processing(workerId), this.keys.jobs.expiries]
    const args: Array<string | number | Buffer> = [jobsDb, results, queue, workerId, new Date(now).toISOString(), this.jobTtlMs, now + this.jobTtlMs]
    for (const { id, result } of jobs) {
      keys.push(this.keys.jobs.record(id), this.keys.results.result(id))
      const fields = Object.entries(result)
      args.push(id, fields.length, ...fields.flat())
    }
    const outcomes = await completeJobs.run(this.jobs, keys, args) as number[]
    return outcomes.map((outcome) => Number(outcome) === 1)
  }

  /**
   * After an attempt failed: re-queues the job while attempts remain and `retryable` is true, else
   * marks it failed with `message` (kept on the record).
   */
  async finishWithError (id: string, workerId: string, message: string, retryable: boolean, maxAttempts: number): Promise<ErrorOutcome> {
    const now = Date.now()
    const keys = [this.keys.jobs.record(id), this.keys.queue.processing(workerId), this.keys.queue.pending, this.keys.jobs.expiries]
    const args = [this.stores.databases.jobs, this.stores.databases.queue, id, workerId, message, retryable ? '1' : '0', maxAttempts, new Date(now).toISOString(), this.jobTtlMs, now + this.jobTtlMs]
    return String(await failOrRetryJob.run(this.jobs, keys, args)) as ErrorOutcome
  }
}

function pairs (flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string])
  return out
}
