import type { JobPolicy } from './config.js'
import type { Claim, ErrorOutcome, Job, ResultForms } from './job.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

/**
 * The transitions that run once per job on a worker's hot path, in one of two shapes: one script
 * each on a single Redis (`queue-one-step.ts`), or two on a Redis Cluster, the job's slot first
 * and then the queue's (`queue-two-steps.ts`). Both run the same Lua functions
 * (`commands/includes/`), so each transition is written once.
 */
export interface Transitions {
  /**
   * Takes up to `count` ids for `workerId` (with `alreadyMoved`, ids a blocking BLMOVE moved) and
   * starts their jobs; ids whose job is finished or runs elsewhere are settled. Returns the started jobs.
   */
  claim: (workerId: string, count: number, alreadyMoved: string[], now: number) => Promise<Job[]>
  /** Completes each job whose claim is current. Returns, per job, 1 completed, 2 completed before by this claim, 0 stale. */
  complete: (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, now: number) => Promise<number[]>
  /**
   * Completes jobs as `complete` does, then claims up to `count` more as `claim` does (no ids from
   * a BLMOVE): one script on a single Redis, so a worker's completions and its next claim cost one
   * call. Returns both answers.
   */
  completeAndClaim: (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, count: number, now: number) => Promise<{ outcomes: number[], started: Job[] }>
  /** Re-queues the job (due at `due`, ms) or fails it, if the claim is current (see `JobQueue.finishWithError`). */
  finishWithError: (claim: Claim, workerId: string, message: string, retryable: boolean, now: number, due: number) => Promise<ErrorOutcome>
}

/** What the transitions work with. */
export interface TransitionContext {
  client: RedisClient
  keys: Keys
  policy: JobPolicy
  /** The prefix of every job's events channel (`keys.jobs.events('')`). */
  events: string
}

/**
 * A result's field/value pairs as script arguments. node-redis joins string arguments into one
 * command string before writing; a large result (tens of MB for 200,000 rows) goes as a Buffer,
 * written as it is, to spare that copy.
 */
export function resultArgs (result: ResultForms): Array<string | Buffer> {
  return Object.entries(result).flatMap(([form, value]) => [form, typeof value === 'string' && value.length >= 65_536 ? Buffer.from(value) : value])
}
