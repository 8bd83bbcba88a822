import fp from 'fastify-plugin'
import rateLimit, { type FastifyRateLimitStore, type RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { RateLimitedError } from '../http-errors.js'

/** Options of the rate-limit plugin: requests per minute per client IP, 0 for no limit. */
export interface RateLimitPluginOptions {
  /** `RATE_LIMIT_JOBS_PER_MINUTE`: job submissions. */
  jobsPerMinute: number
  /** `RATE_LIMIT_HEAVY_PER_MINUTE`: heavy reads, counted together. */
  heavyPerMinute: number
}

/** Each budget as a route's `config.rateLimit`; `false` when its limit is 0 (no limit). */
export interface RateLimits {
  /** `POST /jobs`. */
  jobSubmissions: RateLimitOptions | false
  /** `GET /data` and `GET /genes`, one count for both (`groupId`); HEAD counts as its GET. */
  heavyReads: RateLimitOptions | false
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The rate-limit budgets a route declares in `config.rateLimit`. */
    rateLimits: RateLimits
  }
}

const WINDOW_MS = 60_000

/** How many clients' counts are kept; the least recently seen is forgotten first (as @fastify/rate-limit's own store). */
const MAX_TRACKED_KEYS = 5000

/**
 * One table of fixed one-window counts for every rate-limited route. @fastify/rate-limit gives each
 * route its own store (`child()`), so routes sharing a `groupId` would still be counted apart: here
 * `child()` returns the same table, and the key (client IP + `groupId`) says what counts together.
 */
class SharedWindowStore implements FastifyRateLimitStore {
  readonly #windows = new Map<string, { count: number, startedAt: number }>()

  incr (key: string, callback: (error: Error | null, result?: { current: number, ttl: number }) => void, timeWindow: number): void {
    const now = Date.now()
    const previous = this.#windows.get(key)
    const window = previous === undefined || previous.startedAt + timeWindow <= now ? { count: 0, startedAt: now } : previous
    window.count++
    // Re-inserted so the Map's order is least recently seen first.
    this.#windows.delete(key)
    this.#windows.set(key, window)
    if (this.#windows.size > MAX_TRACKED_KEYS) this.#windows.delete(this.#windows.keys().next().value as string)
    callback(null, { current: window.count, ttl: timeWindow - (now - window.startedAt) })
  }

  child (): FastifyRateLimitStore {
    return this
  }
}

/** One budget: `max` requests per minute per client, counted under `groupId`; false when `max` is 0. `setting` names its variable. */
function budget (max: number, groupId: string, what: string, setting: string): RateLimitOptions | false {
  if (max === 0) return false
  return {
    max,
    timeWindow: WINDOW_MS,
    groupId,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
      return new RateLimitedError(context.max, what, seconds, seconds === 1 ? 'second' : 'seconds', setting)
    }
  }
}

/**
 * Per-client-IP rate limits, declared by each route in `config.rateLimit` from `app.rateLimits`
 * (counts are in memory, per API process). Over the limit a request gets 429 with `Retry-After`
 * and the usual `{ statusCode, error, message }` body, in `onRequest`, before its body is read.
 * The client is the TCP peer (`request.ip`; `trustProxy` is off).
 */
export default fp<RateLimitPluginOptions>(async function rateLimitPlugin (app: FastifyInstance, options) {
  await app.register(rateLimit, { global: false, hook: 'onRequest', store: SharedWindowStore })
  app.decorate('rateLimits', {
    jobSubmissions: budget(options.jobsPerMinute, 'job-submissions', 'job submissions (POST /jobs)', 'RATE_LIMIT_JOBS_PER_MINUTE'),
    heavyReads: budget(options.heavyPerMinute, 'heavy-reads', 'heavy reads (GET /data and GET /genes together)', 'RATE_LIMIT_HEAVY_PER_MINUTE')
  } satisfies RateLimits)
}, { name: 'genejobs-rate-limit', dependencies: ['genejobs-errors'] })
