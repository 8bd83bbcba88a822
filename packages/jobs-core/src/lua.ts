import { createHash } from 'node:crypto'
import type { RedisClient } from './redis.js'

/**
 * A Lua script sent by SHA1 (EVALSHA), falling back to EVAL the first time a server has not seen
 * it. Every script's source starts with a KEYS/ARGV comment saying what it receives.
 */
export class LuaScript {
  readonly sha1: string
  constructor (readonly name: string, readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex')
  }

  /** Runs the script atomically on `client` with the given keys and arguments. */
  async run (client: RedisClient, keys: string[], args: Array<string | number | Buffer>): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args.map((arg) => typeof arg === 'number' ? String(arg) : arg)]
    try {
      return await client.sendCommand(['EVALSHA', this.sha1, ...tail])
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return await client.sendCommand(['EVAL', this.source, ...tail])
      }
      throw err
    }
  }
}
