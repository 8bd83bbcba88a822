import type { RedisClient } from '../redis.js'
import { sendKeyed } from '../redis-cluster.js'

/** A Redis command as its arguments, e.g. `['HSET', key, field, value, …]`. */
export type CommandArgs = string[]

/** Entries per command while a load writes its indexes: few, large commands (a few MB each). */
const ENTRIES_PER_COMMAND = 50_000

/** HSET commands writing `entries` (field, value) to the hash `key`, many per command. */
export function hashCommands (key: string, entries: Iterable<[string, string]>): CommandArgs[] {
  const commands: CommandArgs[] = []
  let args = ['HSET', key]
  for (const [field, value] of entries) {
    args.push(field, value)
    if (args.length >= 2 + 2 * ENTRIES_PER_COMMAND) {
      commands.push(args)
      args = ['HSET', key]
    }
  }
  if (args.length > 2) commands.push(args)
  return commands
}

/** ZADD commands adding `members` with score 0 to the sorted set `key`, many per command. */
export function sortedSetCommands (key: string, members: readonly string[]): CommandArgs[] {
  const commands: CommandArgs[] = []
  for (let start = 0; start < members.length; start += ENTRIES_PER_COMMAND) {
    const args = ['ZADD', key]
    for (const member of members.slice(start, start + ENTRIES_PER_COMMAND)) args.push('0', member)
    commands.push(args)
  }
  return commands
}

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
