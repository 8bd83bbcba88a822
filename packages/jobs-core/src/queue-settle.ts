import { Command } from './commands/index.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

const settleJobIds = new Command('settle-job-ids-4')

/** One call of settle-job-ids: a worker's ids with their action and extra (see the script). */
interface Settlement {
  workerId: string
  now: number
  triples: Array<string | number>
}

/**
 * The queue's side of ending attempts and claims (settle-job-ids), always sent after the records'
 * side answered. A completion's settlement is sent without waiting for its reply: the next command
 * this client sends to the queue's slot (a claim, a read of the processing list) goes down the same
 * connection behind it, so Redis runs it first and no round trip is spent waiting. One that failed
 * (the connection dropped) is sent again before the next claim; until then its ids stay in the
 * processing list, where a claim or the reaper drops them as finished.
 */
export class QueueSettler {
  private failed: Settlement[] = []

  constructor (private readonly client: RedisClient, private readonly keys: Keys) {}

  /** Settles now and waits for it. */
  async settle (workerId: string, now: number, triples: Array<string | number>): Promise<void> {
    const q = this.keys.queue
    await settleJobIds.run(this.client, [q.processing(workerId), q.active, q.pending, q.delayed], [workerId, now, ...triples])
  }

  /** Sends a settlement without waiting for its reply; a failed one is kept for `retryFailed`. */
  send (workerId: string, now: number, triples: Array<string | number>): void {
    this.settle(workerId, now, triples).catch(() => { this.failed.push({ workerId, now, triples }) })
  }

  /** Sends again the settlements that failed; rejects (keeping them) when one fails again. */
  async retryFailed (): Promise<void> {
    if (this.failed.length === 0) return
    const failed = this.failed
    this.failed = []
    const outcomes = await Promise.allSettled(failed.map(async ({ workerId, now, triples }) => { await this.settle(workerId, now, triples) }))
    const again = failed.filter((_, i) => outcomes[i]?.status === 'rejected')
    this.failed.push(...again)
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected')
    if (rejected !== undefined) throw rejected.reason
  }
}
