import { hostname } from 'node:os'
import { v4 as uuidv4 } from 'uuid'
import { Command } from './commands/index.js'
import type { JobPolicy } from './config.js'
import type { Keys } from './keys.js'
import { readJobFields } from './job-fields.js'
import { enqueue, retryFailedJob } from './queue-retry.js'
import { OneStepTransitions } from './queue-one-step.js'
import type { Transitions } from './queue-transitions.js'
import { TwoStepTransitions } from './queue-two-steps.js'
import { requeueOrphanedJobs, requeueStalledWorker, writeHeartbeat, type ReaperContext, type WorkerIdentity } from './queue-reaper.js'
import { JobListingPruner, listJobIds, migrateLegacyListing, readQueueStatus, type QueueStatus } from './queue-status.js'
import { isClusterClient, waitForReplicas, type RedisClient, type Stores } from './redis.js'
import type { JobRequest, JobStatus } from './schemas/jobs.js'
import { checkJobId, completionOutcome, parseJob, SHOWN_JOB_FIELDS, type Claim, type CompletionOutcome, type ErrorOutcome, type Job, type ResultForms } from './job.js'

export { checkJobId, parseJob, JOB_ID_PATTERN, SHOWN_JOB_FIELDS } from './job.js'
export type { Claim, CompletionOutcome, ErrorOutcome, Job, ResultForms } from './job.js'
export type { WorkerIdentity } from './queue-reaper.js'

const setProgress = new Command('set-progress-1')

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
  /**
   * Before a new job counts as accepted, wait until this many replicas of its record's master have
   * it (`WAIT`), at most `timeoutMs` (`config.durability`); absent or 0 replicas: no wait.
   */
  durability?: { replicas: number, timeoutMs: number }
  /**
   * Run every transition in two steps, the job's slot then the queue's, as on a Redis Cluster,
   * also on a single Redis (tests of the cluster's path). A cluster client always does.
   */
  twoSteps?: boolean
}

/**
 * The job lifecycle, in one place: submitted -> in progress -> complete | failed, with retries and
 * the recovery of a dead worker's jobs. The pending queue is a Redis list (LPUSH in, taken from
 * the right); a worker moves ids atomically into its own processing list (LMOVE/BLMOVE), so a job
 * taken by a worker that dies is still in Redis and the reaper puts it back. An id leaves a
 * processing list only when its job is finished.
 *
 * A job's record lives in its own cluster slot, the queue in another. On a single Redis the
 * transitions of a worker's hot path (claim, complete, fail or retry) are one script each, which
 * changes the record and the queue atomically (`OneStepTransitions`); on a Redis Cluster they are
 * two atomic steps, in the order that a crash between them cannot lose an accepted job or finish
 * one twice (`TwoStepTransitions`). Both run the same Lua functions. The rarer transitions
 * (create, an operator's retry, the reaper's) take two steps everywhere.
 */
export class JobQueue {
  private readonly client: RedisClient
  private readonly keys: Keys
  /** The prefix of every job's events channel (`keys.jobs.events('')`), for the scripts. */
  private readonly events: string
  /** Who heartbeats through this queue by default: this process, since the queue was made. */
  private readonly identity: WorkerIdentity = { host: hostname(), pid: process.pid, started_at: new Date().toISOString() }
  readonly policy: JobPolicy

  constructor (options: JobQueueOptions) {
    // The queue, the records and the results share one database (and, on a cluster, database 0).
    this.client = options.stores.jobs
    this.keys = options.keys
    this.events = options.keys.jobs.events('')
    this.policy = options.policy
    this.durability = options.durability ?? { replicas: 0, timeoutMs: 0 }
    this.reaper = { client: this.client, keys: this.keys, stalledAfterMs: this.policy.stalledAfterMs }
    const context = { client: this.client, keys: this.keys, policy: this.policy, events: this.events }
    this.pruner = new JobListingPruner(this.client, this.keys, this.policy.ttlMs)
    this.transitions = options.twoSteps === true || isClusterClient(this.client) ? new TwoStepTransitions(context) : new OneStepTransitions(context)
  }

  private readonly transitions: Transitions
  private readonly pruner: JobListingPruner

  private readonly durability: { replicas: number, timeoutMs: number }
  private readonly reaper: ReaperContext

  /**
   * Creates a job from a validated request and queues it. Returns the new job. With
   * `shown`, the record's `params` are `shown` (a summary, e.g. of an uploaded file) and the full
   * parameters go to the record's `input` field: the worker's claim reads them, `get` never does,
   * and they expire with the record.
   */
  async create (request: JobRequest, shown?: Record<string, unknown>): Promise<Job> {
    const now = Date.now()
    const [id, fields] = await this.writeRecord(request, now, shown)
    await enqueue(this.client, this.keys, [id, now])
    return parseJob(fields, id) as Job
  }

  /** Creates many jobs: their records pipelined, then their ids queued by one script. Returns their ids in order. */
  async createMany (requests: JobRequest[]): Promise<string[]> {
    if (requests.length === 0) return []
    const now = Date.now()
    const ids = await Promise.all(requests.map(async (request) => (await this.writeRecord(request, now))[0]))
    await enqueue(this.client, this.keys, ids.flatMap((id) => [id, now]))
    return ids
  }

  /**
   * The "create" transition's first step: the record (on its master, and its replicas when
   * `durability` asks); the caller then queues the id (`enqueue`). A failure between the two
   * rejects, so the job never counts as accepted; its record stays behind, in no list. Returns the
   * new job's id and its record's shown field/value pairs.
   */
  private async writeRecord ({ analysis, ...params }: JobRequest, now: number, shown?: Record<string, unknown>): Promise<[string, string[]]> {
    const id = uuidv4()
    const fields = ['status', 'submitted', 'analysis', analysis, 'params', JSON.stringify(shown ?? params), 'created_at', String(now), 'attempts', '0']
    const input = shown === undefined ? [] : ['input', JSON.stringify(params)]
    const record = this.keys.jobs.record(id)
    await this.client.hSet(record, [...fields, ...input])
    if (this.durability.replicas > 0) await waitForReplicas(this.client, record, this.durability.replicas, this.durability.timeoutMs)
    return [id, fields]
  }

  /** One job, or null when there is none with this id (never created, or expired). Never reads `input`. */
  async get (id: string): Promise<Job | null> {
    const jobId = checkJobId(id)
    const values = await readJobFields(this.client, this.keys, jobId, SHOWN_JOB_FIELDS)
    const fields: Record<string, string> = {}
    SHOWN_JOB_FIELDS.forEach((field, i) => { const value = values[i]; if (value !== null && value !== undefined) fields[field] = String(value) })
    return parseJob(fields, jobId)
  }

  /**
   * Job ids, newest first, optionally only those with one status (looked for among the newest
   * `scan` jobs at most, by default all). Expired jobs are not shown, and leave the listing.
   */
  async list (options: { status?: JobStatus, limit?: number, scan?: number } = {}): Promise<string[]> {
    return await listJobIds(this.client, this.keys, options)
  }

  /**
   * The queue at a glance for operators: depth, in progress, delayed, workers with their heartbeat
   * age, and up to `failedLimit` failed jobs among the newest `scan` jobs (newest first).
   */
  async status (options: { failedLimit?: number, scan?: number } = {}): Promise<QueueStatus> {
    const ids = await this.list({ status: 'failed', limit: options.failedLimit ?? 10, scan: options.scan ?? 1000 })
    return await readQueueStatus(this.client, this.keys, await Promise.all(ids.map(async (id) => await this.get(id))))
  }

  /** How many job ids wait in the queue. */
  async depth (): Promise<number> {
    return await this.client.lLen(this.keys.queue.pending)
  }

  /**
   * Claims up to `count` jobs for `workerId` without blocking; `alreadyMoved` are ids a blocking
   * `waitForJob` moved. The ids move to the worker's processing list and each job starts (in one
   * script on a single Redis; on a cluster the queue's slot first, then each job's, pipelined); ids
   * whose job is finished or runs elsewhere are settled. Returns the started jobs (attempts
   * counting this one, status in progress).
   */
  async claim (workerId: string, count: number, alreadyMoved: string[] = []): Promise<Job[]> {
    return await this.transitions.claim(workerId, count, alreadyMoved, Date.now())
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
    return Number(await setProgress.run(this.client, [this.keys.jobs.record(claim.id)], [workerId, claim.attempts, clamped, this.events, claim.id])) === 1
  }

  /** Stores the result and marks the job complete if the claim is current; see `completeMany`. */
  async complete (claim: Claim, workerId: string, result: ResultForms): Promise<boolean> {
    const [completed = false] = await this.completeMany(workerId, [{ claim, result }])
    return completed
  }

  /**
   * Completes several jobs of one worker: stores each result and marks the job complete if the
   * worker's claim on it is current, and takes the ids off the worker's processing list (one
   * script for them all on a single Redis; on a cluster one per job on its own slot, pipelined,
   * then one on the queue's slot, sent without waiting: the next command to that slot runs after
   * it). Returns, per job, whether it was completed by this call (a completion sent again after a
   * lost reply is recognised and not counted twice; `completeEach` tells the two apart).
   */
  async completeMany (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>): Promise<boolean[]> {
    return (await this.completeEach(workerId, jobs)).map((outcome) => outcome === 'completed')
  }

  /** `completeMany`, saying what each completion came to (`CompletionOutcome`). */
  async completeEach (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>): Promise<CompletionOutcome[]> {
    if (jobs.length === 0) return []
    return (await this.transitions.complete(workerId, jobs, Date.now())).map(completionOutcome)
  }

  /**
   * Completes several jobs of one worker (see `completeMany`) and claims up to `count` more for it
   * (see `claim`), in one script on a single Redis: the worker's next claim rides with its
   * completions. Returns, per job, whether this call completed it, and the started jobs.
   */
  async completeAndClaim (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, count: number): Promise<{ completed: boolean[], started: Job[] }> {
    const { outcomes, started } = await this.completeEachAndClaim(workerId, jobs, count)
    return { completed: outcomes.map((outcome) => outcome === 'completed'), started }
  }

  /** `completeAndClaim`, saying what each completion came to (`CompletionOutcome`). */
  async completeEachAndClaim (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, count: number): Promise<{ outcomes: CompletionOutcome[], started: Job[] }> {
    const { outcomes, started } = await this.transitions.completeAndClaim(workerId, jobs, count, Date.now())
    return { outcomes: outcomes.map(completionOutcome), started }
  }

  /**
   * After an attempt failed: while attempts remain and `retryable` is true, re-queues the job (at
   * the back) once its back-off (`retryDelay`) is over; else marks it failed with `message`, kept
   * on the record. Refused ('stale') when the claim is no longer current.
   */
  async finishWithError (claim: Claim, workerId: string, message: string, retryable: boolean): Promise<ErrorOutcome> {
    const now = Date.now()
    return await this.transitions.finishWithError(claim, workerId, message, retryable, now, now + retryDelay(this.policy, claim.attempts))
  }

  /**
   * Re-queues a failed job with a fresh set of attempts (an operator's retry; see `retryFailedJob`).
   * Throws `JOB_NOT_FOUND` for an unknown job and `JOB_NOT_FAILED` (nothing changed) for a job
   * that is not failed. Returns the job as the retry left it (submitted).
   */
  async retry (id: string): Promise<Job> {
    return await retryFailedJob(this.client, this.keys, checkJobId(id), this.events, async (jobId) => await this.get(jobId))
  }

  /**
   * Says `workerId` is alive for the next `stalledAfterMs`, and registers it for the reaper and, with
   * who it is (this process by default) and when it beat, for operators (kept twice as long).
   */
  async heartbeat (workerId: string, identity: WorkerIdentity = this.identity): Promise<void> {
    await writeHeartbeat(this.reaper, workerId, identity)
  }

  /**
   * Re-queues, at the head of the queue, the jobs of workers whose heartbeat expired, and forgets
   * those workers; then any job still in progress under a forgotten worker (one whose id is in no
   * list); then moves an older release's listing over (`migrateLegacyListing`) and drops expired
   * jobs from the listing (`JobListingPruner`). Returns the re-queued job ids.
   */
  async reap (): Promise<string[]> {
    const workers = await this.client.sMembers(this.keys.queue.workers)
    const requeued = await Promise.all(workers.map(async (worker) => await requeueStalledWorker(this.reaper, worker)))
    const ids = [...requeued.flat(), ...await requeueOrphanedJobs(this.reaper)]
    await migrateLegacyListing(this.client, this.keys)
    await this.pruner.prune()
    return ids
  }

  /**
   * Ends a worker's heartbeat as it stops, re-queues at once any job it still held (one it had to
   * abandon at shutdown) and forgets the worker.
   */
  async unregister (workerId: string): Promise<string[]> {
    const q = this.keys.queue
    await this.client.del([q.heartbeat(workerId), q.workerInfo(workerId)])
    return await requeueStalledWorker(this.reaper, workerId)
  }

  /** The job ids a worker holds. */
  async processing (workerId: string): Promise<string[]> {
    return await this.client.lRange(this.keys.queue.processing(workerId), 0, -1)
  }
}
