import type { Keys } from './keys.js'
import type { Stores } from './redis.js'

/**
 * For the test analyses only (ENABLE_TEST_ANALYSES=true): counts one run under `tag` in the
 * results store and returns the count, so reliability tests and the chaos soak can count side
 * effects.
 */
export function createTestRunCounter (stores: Stores, keys: Keys): (tag: string) => Promise<number> {
  return async (tag) => await stores.results.hIncrBy(keys.test.runs, tag, 1)
}
