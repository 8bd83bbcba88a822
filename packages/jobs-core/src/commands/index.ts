import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { RedisClient } from '../redis.js'
import { sendKeyed } from '../redis-cluster.js'

/**
 * The folder of the `.lua` files. It is resolved from this module's own location, which is
 * `src/commands/` when run from source and `dist/commands/` when built: `../../src/commands/`
 * names the sources from both (the package ships `src/commands` beside `dist`).
 */
const COMMANDS_DIR = new URL('../../src/commands/', import.meta.url)

/** `--- @include "includes/<name>"` pulls a shared piece in, once per script. */
const INCLUDE = /^--- @include "([a-z0-9/-]+)"\s*$/gm

function readScript (name: string, included = new Set<string>()): string {
  const source = readFileSync(new URL(`${name}.lua`, COMMANDS_DIR), 'utf8')
  return source.replace(INCLUDE, (_line, include: string) => {
    if (included.has(include)) return ''
    included.add(include)
    return readScript(include, included)
  })
}

/**
 * One Lua script from `src/commands/<name>[-<numkeys>].lua`, sent by SHA1 (EVALSHA) and by its
 * source (EVAL) the first time a server has not seen it. Scripts receive every key in KEYS (or a
 * prefix in ARGV for per-job keys), so they run unchanged on one Redis or a Redis Cluster.
 */
export class Command {
  readonly source: string
  readonly sha1: string
  /** The fixed number of keys the file name declares, or undefined for a variable number. */
  readonly numberOfKeys: number | undefined

  constructor (readonly file: string) {
    this.source = readScript(file)
    this.sha1 = createHash('sha1').update(this.source).digest('hex')
    const declared = /-(\d+)$/.exec(file)?.[1]
    this.numberOfKeys = declared === undefined ? undefined : Number(declared)
  }

  /** Runs the script atomically on `client` with the given keys and arguments. */
  async run (client: RedisClient, keys: string[], args: Array<string | number | Buffer>): Promise<unknown> {
    if (this.numberOfKeys !== undefined && keys.length !== this.numberOfKeys) {
      throw new Error(`${this.file}.lua takes ${this.numberOfKeys} keys, got ${keys.length}`)
    }
    const tail = [String(keys.length), ...keys, ...args.map((arg) => typeof arg === 'number' ? String(arg) : arg)]
    try {
      return await sendKeyed(client, keys[0], ['EVALSHA', this.sha1, ...tail])
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return await sendKeyed(client, keys[0], ['EVAL', this.source, ...tail])
      }
      throw err
    }
  }
}
