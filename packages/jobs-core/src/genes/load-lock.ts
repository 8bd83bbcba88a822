import { randomUUID } from 'node:crypto'
import { Command } from '../commands/index.js'
import { GenejobsError } from '../errors.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'

/** The load lock's lifetime, renewed while a load makes progress. */
export const LOAD_LOCK_TTL_MS = 5 * 60 * 1000

const releaseLockCommand = new Command('release-lock-1')

/**
 * Takes the lock that keeps loads (and deleting) from interleaving and returns its holder's token.
 * Throws `LOAD_IN_PROGRESS` when someone else holds it.
 */
export async function acquireLoadLock (client: RedisClient, keys: Keys['genes']): Promise<string> {
  const token = randomUUID()
  const acquired = await client.set(keys.loadLock, token, { condition: 'NX', expiration: { type: 'PX', value: LOAD_LOCK_TTL_MS } })
  if (acquired === null) throw new GenejobsError('LOAD_IN_PROGRESS', 'a gene data load is already running; try again when it has finished')
  return token
}

/**
 * Releases the lock if `token` still holds it. Never throws: a lock that cannot be released expires
 * by itself, and the caller's own outcome matters more.
 */
export async function releaseLoadLock (client: RedisClient, keys: Keys['genes'], token: string): Promise<void> {
  await releaseLockCommand.run(client, [keys.loadLock], [token]).catch(() => {})
}
