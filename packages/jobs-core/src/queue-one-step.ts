import { Command } from './commands/index.js'
import { parseJob, type Claim, type ErrorOutcome, type Job, type ResultForms } from './job.js'
import { resultArgs, type TransitionContext, type Transitions } from './queue-transitions.js'

const claimAndStartJobs = new Command('claim-and-start-jobs-4')
const completeAndSettleJobs = new Command('complete-and-settle-jobs')
const failOrRetryAndSettleJob = new Command('fail-or-retry-and-settle-job-5')

/**
 * The hot-path transitions on a single Redis: each one script, which runs the record's step and the
 * queue's (the same Lua functions as `TwoStepTransitions`) atomically, as BullMQ's scripts do. A
 * crash can come only before or after it, never between the steps; a batch of claims or of
 * completions is one call.
 */
export class OneStepTransitions implements Transitions {
  constructor (private readonly context: TransitionContext) {}

  async claim (workerId: string, count: number, alreadyMoved: string[], now: number): Promise<Job[]> {
    const { client, keys, policy, events } = this.context
    const q = keys.queue
    const [before, after] = keys.jobs.recordParts
    const started = await claimAndStartJobs.run(client, [q.pending, q.processing(workerId), q.active, q.delayed],
      [count, workerId, now, policy.maxAttempts, policy.ttlMs, events, before, after, ...alreadyMoved]) as string[][]
    return started.map(([id, ...fields]) => parseJob(fields, id as string) as Job)
  }

  async complete (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, now: number): Promise<number[]> {
    const { client, keys, policy, events } = this.context
    const jobKeys = jobs.flatMap(({ claim }) => [keys.jobs.record(claim.id), keys.results.result(claim.id)])
    const args = jobs.flatMap(({ claim, result }) => {
      const fields = resultArgs(result)
      return [claim.id, claim.attempts, fields.length, ...fields]
    })
    const outcomes = await completeAndSettleJobs.run(client, [keys.queue.processing(workerId), keys.queue.active, ...jobKeys],
      [workerId, now, policy.ttlMs, events, ...args]) as number[]
    return outcomes.map(Number)
  }

  async finishWithError (claim: Claim, workerId: string, message: string, retryable: boolean, now: number, due: number): Promise<ErrorOutcome> {
    const { client, keys, policy, events } = this.context
    const q = keys.queue
    const args = [workerId, claim.attempts, message, retryable ? '1' : '0', policy.maxAttempts, now, policy.ttlMs, events, claim.id, due]
    return String(await failOrRetryAndSettleJob.run(client, [keys.jobs.record(claim.id), q.processing(workerId), q.active, q.pending, q.delayed], args)) as ErrorOutcome
  }
}
