import { Command } from './commands/index.js'
import { GenejobsError } from './errors.js'
import { parseJob, SHOWN_JOB_FIELDS, type Job } from './job.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

const enqueueJob = new Command('enqueue-job-2')
const requestRetry = new Command('request-retry-2')
const retryJob = new Command('retry-job-1')

/**
 * The queue's side of creating jobs or of an operator's retry: each job listed and queued, in
 * order, by one script. `jobs` holds, per job, its id then its created time (ms; `''` for a retry).
 */
export async function enqueue (client: RedisClient, keys: Keys, jobs: Array<string | number>): Promise<void> {
  await enqueueJob.run(client, [keys.jobs.listing, keys.queue.pending], jobs)
}

/**
 * An operator's retry of a failed job, in three steps so a crash between any two neither loses it
 * nor queues it twice: mark the record (request-retry), queue the id, reset the record
 * (retry-job; a claim that meets the id first does the reset itself). Throws `JOB_NOT_FOUND` or
 * `JOB_NOT_FAILED` (nothing changed). Returns the job as the retry left it; `read` reads it when
 * a claim took it meanwhile.
 */
export async function retryFailedJob (client: RedisClient, keys: Keys, jobId: string, events: string, read: (id: string) => Promise<Job | null>): Promise<Job> {
  const record = keys.jobs.record(jobId)
  const requested = String(await requestRetry.run(client, [record, keys.results.result(jobId)], []))
  if (requested === 'missing') throw new GenejobsError('JOB_NOT_FOUND', `no job with id ${jobId}`)
  if (requested !== 'ok') throw new GenejobsError('JOB_NOT_FAILED', `job ${jobId} is ${requested}: only a failed job can be retried`)
  await enqueue(client, keys, [jobId, ''])
  const reply = await retryJob.run(client, [record], [jobId, events])
  if (!Array.isArray(reply)) {
    // A claim reset and took the job between the two steps: the retry happened.
    const job = await read(jobId)
    if (job === null) throw new GenejobsError('JOB_NOT_FOUND', `no job with id ${jobId}`)
    return job
  }
  // The record as the script left it, shown as `get` shows a job (no input, no worker).
  const flat = reply as string[]
  const shown = new Set<string>(SHOWN_JOB_FIELDS)
  return parseJob(flat.filter((_, i) => i % 2 === 0 ? shown.has(flat[i] as string) : shown.has(flat[i - 1] as string)), jobId) as Job
}
