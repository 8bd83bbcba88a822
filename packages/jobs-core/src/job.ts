import { GenejobsError } from './errors.js'
import { JOB_STATUSES, type JobStatus } from './schemas/jobs.js'

// The job record as genejobs shows it; split from queue.ts (re-exported there) to keep each file short.

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

/**
 * A worker's claim on a job: the job id and the attempt it claimed, which is the claim's token.
 * Every transition after the claim carries it and is refused once the claim is stale (the job was
 * re-queued and claimed again, by this worker or another).
 */
export type Claim = Pick<Job, 'id' | 'attempts'>

/** A finished job's result: its forms (`json`, `csv`, `svg`, ...) and their data. */
export type ResultForms = Record<string, string | Buffer>

/** How a worker's failed attempt ended: re-queued, failed for good, or no longer its job. */
export type ErrorOutcome = 'retry' | 'failed' | 'stale'

/**
 * What a completion came to: `completed` now; `completed before` by an earlier send of the same
 * claim (its reply was lost, and it was sent again): stored once, and done; or `stale`: the claim
 * was no longer current, and the result was dropped.
 */
export type CompletionOutcome = 'completed' | 'completed before' | 'stale'

/** A completion script's answer (0 stale, 1 completed, 2 completed before) as a `CompletionOutcome`. */
export function completionOutcome (answer: number): CompletionOutcome {
  return answer === 1 ? 'completed' : answer === 2 ? 'completed before' : 'stale'
}

/**
 * The record fields a job is shown from (`JobQueue.get`): every field but `input` and `worker`. The
 * id is the record's key, not a field; times are kept as epoch ms and shown as ISO strings; a
 * complete job keeps no `progress` (it is 100). Small fields keep the hash a compact listpack.
 */
export const SHOWN_JOB_FIELDS = ['status', 'analysis', 'params', 'created_at', 'started_at', 'finished_at', 'attempts', 'progress', 'error', 'last_error'] as const

/** Tells a job id (UUID v4, any case) from anything else. */
export const JOB_ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$'
const JOB_ID = new RegExp(JOB_ID_PATTERN)

/** Checks a job id; throws `INVALID_ID` unless it is a UUID v4. Returns it lower-cased. */
export function checkJobId (id: string): string {
  if (!JOB_ID.test(id)) throw new GenejobsError('INVALID_ID', `"${id.slice(0, 40)}" is not a job id: expected a UUID such as 3b241101-e2bb-4255-8caf-4136c566a962`)
  return id.toLowerCase()
}

/** A record's time as shown: stored as epoch ms (older records: an ISO string, shown as it is). */
export function shownTime (stored: string): string {
  return /^\d+$/.test(stored) ? new Date(Number(stored)).toISOString() : stored
}

/**
 * Turns job `id`'s Redis hash (an object, or the flat field/value array a script returns) into a
 * `Job`; null when there is none (no status).
 */
export function parseJob (hash: Record<string, string> | string[], id: string): Job | null {
  const fields = Array.isArray(hash) ? fromPairs(hash) : hash
  const status = fields['status']
  if (status === undefined) return null
  const job: Job = {
    id,
    status: (JOB_STATUSES as readonly string[]).includes(status) ? status as JobStatus : 'submitted',
    analysis: fields['analysis'] ?? '',
    params: JSON.parse(fields['params'] ?? '{}') as Record<string, unknown>,
    created_at: shownTime(fields['created_at'] ?? ''),
    attempts: Number(fields['attempts'] ?? 0)
  }
  if (fields['started_at'] !== undefined) job.started_at = shownTime(fields['started_at'])
  if (fields['finished_at'] !== undefined) job.finished_at = shownTime(fields['finished_at'])
  if (fields['progress'] !== undefined) job.progress = Number(fields['progress'])
  else if (job.status === 'complete') job.progress = 100
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
