import { UnrecoverableError, type RedisClient } from '@genejobs/jobs-core'
import type { Analysis } from './types.js'

/**
 * Analyses that exist only for the reliability tests: they sleep, fail, or count how many times
 * they complete. The worker registers them only when ENABLE_TEST_ANALYSES=true, which the config
 * refuses under NODE_ENV=production; the API never accepts them (they have no request schema).
 */
export function testAnalyses (counter: RedisClient): Array<Analysis<Record<string, unknown>>> {
  const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))
  return [
    {
      // Sleeps `ms` in steps, reporting progress; then records one side effect per completion.
      name: 'test-sleep',
      parse: (params) => params,
      async run (params, context) {
        const ms = Number(params['ms'] ?? 100)
        const steps = 10
        for (let step = 1; step <= steps; step++) {
          await sleep(ms / steps)
          await context.progress(step * 100 / steps)
        }
        return { summary: { slept_ms: ms, tag: params['tag'] ?? null }, rows: [] }
      }
    },
    {
      // Always throws: a poison job.
      name: 'test-throw',
      parse: (params) => params,
      async run (params) {
        if (params['unrecoverable'] === true) throw new UnrecoverableError('test-throw: unrecoverable on purpose')
        throw new Error('test-throw: failing on purpose')
      }
    },
    {
      // Counts its runs in Redis (HINCRBY test:runs <tag>), so tests can count side effects.
      name: 'test-count',
      parse: (params) => params,
      async run (params) {
        const ms = Number(params['ms'] ?? 0)
        if (ms > 0) await sleep(ms)
        const runs = await counter.hIncrBy('test:runs', String(params['tag'] ?? 'none'), 1)
        return { summary: { tag: params['tag'] ?? null, runs }, rows: [] }
      }
    }
  ]
}
