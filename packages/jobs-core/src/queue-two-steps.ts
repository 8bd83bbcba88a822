import { Command } from './commands/index.js'
import { parseJob, type Claim, type ErrorOutcome, type Job, type ResultForms } from './job.js'
import { QueueSettler } from './queue-settle.js'
import { resultArgs, type TransitionContext, type Transitions } from './queue-transitions.js'

const startJob = new Command('start-job-1')
const takeJobIds = new Command('take-job-ids-4')
const completeJob = new Command('complete-job-2')
const failOrRetryJob = new Command('fail-or-retry-job-1')

/**
 * The hot-path transitions on a Redis Cluster, where a job's record lives in its own slot and the
 * queue in another: two atomic steps each, always in the order that a crash between them cannot
 * lose an accepted job or finish one twice. The record's step first (fenced by the claim: status,
 * worker and attempt), then the queue's; a crash after the first leaves the id where it was (the
 * pending list or a processing list); the claim that meets it later drops a finished job, and the
 * reaper moves a dead worker's ids back. The claim is the exception: the id moves into the
 * worker's processing list first, so a crash before its record starts leaves it where the reaper
 * finds it.
 */
export class TwoStepTransitions implements Transitions {
  private readonly settler: QueueSettler

  constructor (private readonly context: TransitionContext) {
    this.settler = new QueueSettler(context.client, context.keys)
  }

  async claim (workerId: string, count: number, alreadyMoved: string[], now: number): Promise<Job[]> {
    const { client, keys, policy, events } = this.context
    const q = keys.queue
    // Settlements that failed earlier go first, down the same connection as the take.
    const [, ids] = await Promise.all([this.settler.retryFailed(),
      takeJobIds.run(client, [q.pending, q.processing(workerId), q.active, q.delayed], [count, workerId, now, ...alreadyMoved]) as Promise<string[]>])
    if (ids.length === 0) return []
    const replies = await Promise.all(ids.map(async (id) => await startJob.run(client, [keys.jobs.record(id)],
      [workerId, now, policy.maxAttempts, policy.ttlMs, events, id]) as string[]))
    const started: Job[] = []
    const settled: string[] = []
    replies.forEach(([outcome, ...rest], i) => {
      if (outcome === 'started') started.push(parseJob(rest, ids[i] as string) as Job)
      else settled.push(ids[i] as string, outcome === 'failed' ? 'failed' : outcome === 'held' ? 'held' : 'drop', outcome === 'held' ? String(rest[0]) : '')
    })
    if (settled.length > 0) await this.settler.settle(workerId, now, settled)
    return started
  }

  async complete (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, now: number): Promise<number[]> {
    const { client, keys, policy, events } = this.context
    // One script per job on its own slot, pipelined.
    const outcomes = await Promise.all(jobs.map(async ({ claim, result }) => Number(await completeJob.run(client,
      [keys.jobs.record(claim.id), keys.results.result(claim.id)], [workerId, claim.attempts, now, policy.ttlMs, events, claim.id, ...resultArgs(result)]))))
    // 2: this claim completed the job before (a lost reply, sent again): not counted twice. The
    // queue's side is sent, not waited for (QueueSettler): the records are what count.
    this.settler.send(workerId, now, jobs.flatMap(({ claim }, i) => [claim.id, outcomes[i] === 0 ? 'stale' : 'complete', '']))
    return outcomes
  }

  async completeAndClaim (workerId: string, jobs: Array<{ claim: Claim, result: ResultForms }>, count: number, now: number): Promise<{ outcomes: number[], started: Job[] }> {
    // Different slots: the two, sent together.
    const [outcomes, started] = await Promise.all([this.complete(workerId, jobs, now), this.claim(workerId, count, [], now)])
    return { outcomes, started }
  }

  async finishWithError (claim: Claim, workerId: string, message: string, retryable: boolean, now: number, due: number): Promise<ErrorOutcome> {
    const { client, keys, policy, events } = this.context
    const args = [workerId, claim.attempts, message, retryable ? '1' : '0', policy.maxAttempts, now, policy.ttlMs, events, claim.id]
    const outcome = String(await failOrRetryJob.run(client, [keys.jobs.record(claim.id)], args)) as ErrorOutcome
    await this.settler.settle(workerId, now, [claim.id, outcome, outcome === 'retry' ? due : ''])
    return outcome
  }
}
