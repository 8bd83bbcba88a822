import { Command } from './commands/index.js'
import { parseJob, type Claim, type ErrorOutcome, type Job, type ResultForms } from './job.js'
import { resultArgs, type TransitionContext, type Transitions } from './queue-transitions.js'

const claimAndStartJobs = new Command('claim-and-start-jobs-4')
const completeAndSettleJobs = new Command('complete-and-settle-jobs')
const failOrRetryAndSettleJob = new Command('fail-or-retry-and-settle-job-5')
const completeAndClaimJobs = new Command('complete-and-claim-jobs')

/** Completions as script keys (each job's hash and result hash) and arguments (id, token, n, n values). */
function completionParts (keys: TransitionContext['keys'], jobs: Array<{ claim: Claim, result: ResultForms }>): { jobKeys: string[], args: Array<string | number | Buffer> } {
  const jobKeys = jobs.flatMap(({ claim }) => [keys.jobs.record(claim.id), keys.results.result(claim.id)])
  const args = jobs.flatMap(({ claim, result }) => {
    const fields = resultArgs(result)
    return [claim.id, claim.attempts, fields.length, ...fields]
  })
  return { jobKeys, args }
}

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
    const { jobKeys, args } = completionParts(keys, jobs)
    const outcomes = await completeAndSettleJobs.run(client, [keys.queue.processing(workerId), keys.queue.active, ...jobKeys],
      [workerId, now, policy.ttlMs, events, ...args]) as number[]
    return outcomes.map(Number)
  }

  async completeAndClaim (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, count: number, now: number): Promise<{ outcomes: number[], started: Job[] }> {
    const { client, keys, policy, events } = this.context
    const q = keys.queue
    const [before, after] = keys.jobs.recordParts
    const { jobKeys, args } = completionParts(keys, jobs)
    const [outcomes, started] = await completeAndClaimJobs.run(client, [q.processing(workerId), q.active, q.pending, q.delayed, ...jobKeys],
      [workerId, now, policy.ttlMs, events, policy.maxAttempts, count, before, after, ...args]) as [number[], string[][]]
    return { outcomes: outcomes.map(Number), started: started.map(([id, ...fields]) => parseJob(fields, id as string) as Job) }
  }

  async finishWithError (claim: Claim, workerId: string, message: string, retryable: boolean, now: number, due: number): Promise<ErrorOutcome> {
    const { client, keys, policy, events } = this.context
    const q = keys.queue
    const args = [workerId, claim.attempts, message, retryable ? '1' : '0', policy.maxAttempts, now, policy.ttlMs, events, claim.id, due]
    return String(await failOrRetryAndSettleJob.run(client, [keys.jobs.record(claim.id), q.processing(workerId), q.active, q.pending, q.delayed], args)) as ErrorOutcome
  }
}
