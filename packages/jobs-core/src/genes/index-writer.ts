import type { RedisClient } from '../redis.js'
import { sendKeyed } from '../redis-cluster.js'
import type { CommandArgs } from './index-commands.js'

/**
 * Sends a load's index-writing commands as they come, pipelined; `done` then gives every key they
 * wrote the staging TTL (lifted when the version is swapped in) and rejects with the first error.
 */
export class IndexWriter {
  private readonly pending: Array<Promise<unknown>> = []
  private readonly written = new Set<string>()

  constructor (
    private readonly client: RedisClient,
    private readonly ttlMs: number
  ) {}

  /** Sends one command now (its reply is awaited by `done`). */
  send (args: CommandArgs): void {
    this.written.add(args[1] as string)
    this.handle(sendKeyed(this.client, args[1] as string, args))
  }

  /** Waits for every reply, after setting the staging TTL on every key written. */
  async done (): Promise<void> {
    for (const key of this.written) this.handle(this.client.pExpire(key, this.ttlMs))
    await Promise.all(this.pending)
  }

  /** Waits until every command sent has been answered, failed or not (before a failed load cleans up). */
  async settle (): Promise<void> {
    await Promise.allSettled(this.pending)
  }

  private handle (reply: Promise<unknown>): void {
    // Awaited in `done`; until then a rejection must not count as unhandled, which ends the process.
    reply.catch(() => {})
    this.pending.push(reply)
  }
}
