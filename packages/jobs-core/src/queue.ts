import { v4 as uuidv4 } from 'uuid'
import { Command } from './commands/index.js'
import type { JobPolicy } from './config.js'
import { GenejobsError } from './errors.js'
import type { Keys } from './keys.js'
import type { RedisClient, Stores } from './redis.js'
import { JOB_STATUSES, type JobRequest, type JobStatus } from './schemas/jobs.js'

// Each transition of a job is one script, written once (see src/commands/*.lua).
const createJob = new Command('create-job-3')
const claimJobs = new Command('claim-jobs-5')
const setProgress = new Command('set-progress-1')
const completeJobs = new Command('complete-jobs-3')
const failOrRetryJob = new Command('fail-or-retry-job-6')
const requeueStalled = new Command('requeue-stalled-5')
const requeueOrphans = new Command('requeue-orphans-4')
const pruneExpiredJobs = new Command('prune-expired-jobs-2')

/** How a worker's failed attempt ended: re-queued, failed for good, or no longer its job. */
export type ErrorOutcome = 'retry' | 'failed' | 'stale'

/** A finished job's result: its forms (`json`, `csv`, `svg`, ...) and their data. */
export type ResultForms = Record<string, string | Buffer>

/**
 * A worker's claim on a job: the job id and the attempt it claimed, which is the claim's token.
 * Every transition after the claim carries it and is refused once the claim is stale (the job was
 * re-queued and claimed again, by this worker or another).
 */
export type Claim = Pick<Job, 'id' | 'attempts'>

/** How long a retry waits: exponential from the base with jitter, capped; 0 when there is no back-off. */
export function retryDelay (policy: Pick<JobPolicy, 'retryBackoffMs' | 'retryBackoffMaxMs'>, attempt: number): number {
  if (policy.retryBackoffMs === 0) return 0
  const ceiling = Math.min(policy.retryBackoffMaxMs, policy.retryBackoffMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + Math.random() * ceiling / 2)
}

/** What a `JobQueue` is built from. */
export interface JobQueueOptions {
  stores: Stores
  keys: Keys
  /** Attempts, stall detection and how long finished jobs are kept (`config.jobs`). */
  policy: JobPolicy
}

/**
 * The job lifecycle, in one place: submitted -> in progress -> complete | failed, with retries and
 * the recovery of a dead worker's jobs. The pending queue is a Redis list (LPUSH in, taken from
 * the right); a worker moves ids atomically into its own processing list (LMOVE/BLMOVE), so a job
 * taken by a worker that dies is still in Redis and the reaper puts it back. An id leaves a
 * processing list only when its job is finished. Each transition is one Lua script, so a job is
 * never half-created, half-completed or lost between the queue and its record.
 */
export class JobQueue {
  private readonly client: RedisClient
  private readonly keys: Keys
  readonly policy: JobPolicy

  constructor (options: JobQueueOptions) {
    // The queue, the records and the results share one database: each script touches all three.
    this.client = options.stores.jobs
    this.keys = options.keys
    this.policy = options.policy
  }

  /**
   * Creates a job from a validated request and queues it, atomically. Returns the new job. With
   * `shown`, the record's `params` are `shown` (a summary, e.g. of an uploaded file) and the full
   * parameters go to the record's `input` field: the worker's claim reads them, `get` never does,
   * and they expire with the record.
   */
  async create (request: JobRequest, shown?: Record<string, unknown>): Promise<Job> {
    return parseJob(await this.submit(request, new Date(), shown)) as Job
  }

  /** Creates many jobs, each atomically, in one pipeline. Returns their ids in order. */
  async createMany (requests: JobRequest[]): Promise<string[]> {
    const now = new Date()
    return await Promise.all(requests.map(async (request) => (await this.submit(request, now))[1] as string))
  }

  /** The "create" transition; returns the new record's shown field/value pairs (`id` first). */
  private async submit ({ analysis, ...params }: JobRequest, now: Date, shown?: Record<string, unknown>): Promise<string[]> {
    const id = uuidv4()
    const fields = ['id', id, 'status', 'submitted', 'analysis', analysis, 'params', JSON.stringify(shown ?? params), 'created_at', now.toISOString(), 'attempts', '0']
    const input = shown === undefined ? [] : ['input', JSON.stringify(params)]
    await createJob.run(this.client, [this.keys.jobs.record(id), this.keys.jobs.index, this.keys.queue.pending], [id, now.getTime(), ...fields, ...input])
    return fields
  }

  /** One job, or null when there is none with this id (never created, or expired). Never reads `input`. */
  async get (id: string): Promise<Job | null> {
    const values = await this.client.hmGet(this.keys.jobs.record(checkJobId(id)), [...SHOWN_JOB_FIELDS])
    const fields: Record<string, string> = {}
    SHOWN_JOB_FIELDS.forEach((field, i) => { const value = values[i]; if (value !== null && value !== undefined) fields[field] = String(value) })
    return parseJob(fields)
  }

  /** Job ids, newest first, optionally only those with one status. Expired jobs are pruned first. */
  async list (options: { status?: JobStatus, limit?: number } = {}): Promise<string[]> {
    const limit = options.limit ?? 100
    const k = this.keys.jobs
    await pruneExpiredJobs.run(this.client, [k.expiries, k.index], [Date.now()])
    if (options.status === undefined) return await this.client.zRange(k.index, 0, limit - 1, { REV: true })
    const found: string[] = []
    const page = 500
    for (let start = 0; found.length < limit; start += page) {
      const ids = await this.client.zRange(k.index, start, start + page - 1, { REV: true })
      if (ids.length === 0) break
      const statuses = await Promise.all(ids.map(async (id) => await this.client.hGet(k.record(id), 'status')))
      ids.forEach((id, i) => { if (statuses[i] === options.status && found.length < limit) found.push(id) })
    }
    return found
  }

  /** How many job ids wait in the queue. */
  async depth (): Promise<number> {
    return await this.client.lLen(this.keys.queue.pending)
  }

  /**
   * Claims up to `count` jobs for `workerId` without blocking; `alreadyMoved` are ids a blocking
   * `waitForJob` moved. Returns the started jobs (attempts counting this one, status in progress).
   */
  async claim (workerId: string, count: number, alreadyMoved: string[] = []): Promise<Job[]> {
    const now = Date.now()
    const q = this.keys.queue
    const reply = await claimJobs.run(this.client,
      [q.pending, q.processing(workerId), this.keys.jobs.expiries, q.active, q.delayed],
      [this.keys.jobs.record(''), count, workerId, new Date(now).toISOString(), now, this.policy.maxAttempts, this.policy.ttlMs, ...alreadyMoved]) as string[][]
    return reply.map((flat) => parseJob(flat) as Job)
  }

  /**
   * Blocks up to `timeoutSeconds` on `blockingClient` (a connection of the worker's own: a
   * blocking command cannot share one) for the next job id and moves it to the worker's processing
   * list (BLMOVE). Returns the id, to be passed to `claim`, or null on timeout.
   */
  async waitForJob (blockingClient: RedisClient, workerId: string, timeoutSeconds: number): Promise<string | null> {
    return await blockingClient.blMove(this.keys.queue.pending, this.keys.queue.processing(workerId), 'RIGHT', 'LEFT', timeoutSeconds)
  }

  /** Records a job's progress (0-100) if `workerId`'s claim on it is current. */
  async setProgress (claim: Claim, workerId: string, progress: number): Promise<boolean> {
    const clamped = Math.max(0, Math.min(100, Math.round(progress)))
    return Number(await setProgress.run(this.client, [this.keys.jobs.record(claim.id)], [workerId, claim.attempts, clamped])) === 1
  }

  /** Stores the result and marks the job complete if the claim is current; see `completeMany`. */
  async complete (claim: Claim, workerId: string, result: ResultForms): Promise<boolean> {
    const [completed = false] = await this.completeMany(workerId, [{ claim, result }])
    return completed
  }

  /**
   * Completes several jobs of one worker in one script call (a worker finishing many short jobs at
   * once pays one round trip): stores each result and marks the job complete if the worker's claim
   * on it is current, and takes it off the worker's processing list either way. Returns, per job,
   * whether it was completed.
   */
  async completeMany (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>): Promise<boolean[]> {
    if (jobs.length === 0) return []
    const now = Date.now()
    const args: Array<string | number | Buffer> = [this.keys.jobs.record(''), this.keys.results.result(''), workerId, new Date(now).toISOString(), this.policy.ttlMs, now]
    for (const { claim, result } of jobs) {
      // node-redis joins string arguments into one command string before writing; a large result
      // (tens of MB for 200,000 rows) goes as a Buffer, written as it is, to spare that copy.
      const fields = Object.entries(result).map(([form, value]) => [form, typeof value === 'string' && value.length >= 65_536 ? Buffer.from(value) : value])
      args.push(claim.id, claim.attempts, fields.length, ...fields.flat())
    }
    const keys = [this.keys.queue.processing(workerId), this.keys.jobs.expiries, this.keys.queue.active]
    const outcomes = await completeJobs.run(this.client, keys, args) as number[]
    return outcomes.map((outcome) => Number(outcome) === 1)
  }

  /**
   * After an attempt failed: while attempts remain and `retryable` is true, re-queues the job (at
   * the back) once its back-off (`retryDelay`) is over; else marks it failed with `message`, kept
   * on the record. Refused ('stale') when the claim is no longer current.
   */
  async finishWithError (claim: Claim, workerId: string, message: string, retryable: boolean): Promise<ErrorOutcome> {
    const now = Date.now()
    const q = this.keys.queue
    const keys = [this.keys.jobs.record(claim.id), q.processing(workerId), q.pending, this.keys.jobs.expiries, q.active, q.delayed]
    const args = [claim.id, workerId, claim.attempts, message, retryable ? '1' : '0', this.policy.maxAttempts,
      new Date(now).toISOString(), this.policy.ttlMs, now, now + retryDelay(this.policy, claim.attempts)]
    return String(await failOrRetryJob.run(this.client, keys, args)) as ErrorOutcome
  }

  /** Says `workerId` is alive for the next `stalledAfterMs`, and registers it for the reaper. */
  async heartbeat (workerId: string): Promise<void> {
    await this.client.multi()
      .set(this.keys.queue.heartbeat(workerId), String(Date.now()), { expiration: { type: 'PX', value: this.policy.stalledAfterMs } })
      .sAdd(this.keys.queue.workers, workerId)
      .exec()
  }

  /**
   * Re-queues, at the head of the queue, the jobs of workers whose heartbeat expired, and forgets
   * those workers; then any job still in progress under a forgotten worker (one whose id is in no
   * list). Returns the re-queued job ids.
   */
  async reap (): Promise<string[]> {
    const q = this.keys.queue
    const prefix = this.keys.jobs.record('')
    const workers = await this.client.sMembers(q.workers)
    const requeued = await Promise.all(workers.map(async (worker) => await requeueStalled.run(this.client,
      [q.workers, q.heartbeat(worker), q.processing(worker), q.pending, q.active],
      [worker, prefix, this.policy.stalledAfterMs]) as string[]))
    const orphans = await requeueOrphans.run(this.client, [q.active, q.workers, q.pending, q.delayed], [prefix]) as string[]
    return [...requeued.flat(), ...orphans]
  }

  /**
   * Ends a worker's heartbeat as it stops, re-queues at once any job it still held (one it had to
   * abandon at shutdown) and forgets the worker.
   */
  async unregister (workerId: string): Promise<string[]> {
    const q = this.keys.queue
    await this.client.del(q.heartbeat(workerId))
    return await requeueStalled.run(this.client, [q.workers, q.heartbeat(workerId), q.processing(workerId), q.pending, q.active],
      [workerId, this.keys.jobs.record(''), this.policy.stalledAfterMs]) as string[]
  }

  /** The job ids a worker holds. */
  async processing (workerId: string): Promise<string[]> {
    return await this.client.lRange(this.keys.queue.processing(workerId), 0, -1)
  }
}

/** A job as the API shows it and as a worker receives it from `JobQueue.claim`. */
export interface Job {
  id: string
  status: JobStatus
  analysis: string
  params: Record<string, unknown>
  created_at: string
  started_at?: string
  finished_at?: string
  /** How many times a worker has started it (a claimed job counts the attempt it starts). */
  attempts: number
  /** 0-100 while in progress; 100 when complete. */
  progress?: number
  /** Why it failed (final). */
  error?: string
  /** Why the previous attempt failed, while it waits for a retry. */
  last_error?: string
  /**
   * The full parameters, when `params` only summarises them (an upload's identifier list): kept in
   * the record's `input` field, read by the worker's claim and never by `JobQueue.get`.
   */
  input?: Record<string, unknown>
}

/** The record fields a job is shown from (`JobQueue.get`): every field but `input` and `worker`. */
export const SHOWN_JOB_FIELDS = ['id', 'status', 'analysis', 'params', 'created_at', 'started_at', 'finished_at', 'attempts', 'progress', 'error', 'last_error'] as const

/** Tells a job id (UUID v4, any case) from anything else. */
export const JOB_ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$'
const JOB_ID = new RegExp(JOB_ID_PATTERN)

/** Checks a job id; throws `INVALID_ID` unless it is a UUID v4. Returns it lower-cased. */
export function checkJobId (id: string): string {
  if (!JOB_ID.test(id)) throw new GenejobsError('INVALID_ID', `"${id.slice(0, 40)}" is not a job id: expected a UUID such as 3b241101-e2bb-4255-8caf-4136c566a962`)
  return id.toLowerCase()
}

/** Turns a job's Redis hash (an object, or the flat field/value array a script returns) into a `Job`; null when there is none. */
export function parseJob (hash: Record<string, string> | string[]): Job | null {
  const fields = Array.isArray(hash) ? fromPairs(hash) : hash
  const id = fields['id']
  if (id === undefined) return null
  const status = fields['status'] ?? ''
  const job: Job = {
    id,
    status: (JOB_STATUSES as readonly string[]).includes(status) ? status as JobStatus : 'submitted',
    analysis: fields['analysis'] ?? '',
    params: JSON.parse(fields['params'] ?? '{}') as Record<string, unknown>,
    created_at: fields['created_at'] ?? '',
    attempts: Number(fields['attempts'] ?? 0)
  }
  if (fields['started_at'] !== undefined) job.started_at = fields['started_at']
  if (fields['finished_at'] !== undefined) job.finished_at = fields['finished_at']
  if (fields['progress'] !== undefined) job.progress = Number(fields['progress'])
  if (fields['error'] !== undefined) job.error = fields['error']
  if (fields['last_error'] !== undefined) job.last_error = fields['last_error']
  if (fields['input'] !== undefined) job.input = JSON.parse(fields['input']) as Record<string, unknown>
  return job
}

function fromPairs (flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (let i = 0; i < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string
  return fields
}
