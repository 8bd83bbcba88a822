import Type from 'typebox'
import { defineAnalysis } from '@genejobs/analyses'
import { UnrecoverableError, type RedisClient } from '@genejobs/jobs-core'

/** A test-only analysis's request: its name and any parameters (the API never accepts it). */
const testRequest = <Name extends string>(name: Name) => Type.Object({
  analysis: Type.Literal(name),
  ms: Type.Optional(Type.Unknown()),
  tag: Type.Optional(Type.Unknown()),
  unrecoverable: Type.Optional(Type.Unknown())
}, { additionalProperties: true })

/**
 * Analyses that exist only for the reliability tests: they sleep, fail, or count how many times
 * they complete. The worker registers them only when ENABLE_TEST_ANALYSES=true, which the config
 * refuses under NODE_ENV=production; the API never accepts them (they are not in the registry of
 * `@genejobs/analyses`).
 */
export function testAnalyses (counter: RedisClient) {
  const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))
  return [
    defineAnalysis({
      // Sleeps `ms` in steps, reporting progress; then records one side effect per completion.
      name: 'test-sleep',
      request: testRequest('test-sleep'),
      async run (params, context) {
        const ms = Number(params.ms ?? 100)
        const steps = 10
        for (let step = 1; step <= steps; step++) {
          await sleep(ms / steps)
          await context.progress(step * 100 / steps)
        }
        return { summary: { slept_ms: ms, tag: params.tag ?? null }, rows: [] }
      }
    }),
    defineAnalysis({
      // Always throws: a poison job.
      name: 'test-throw',
      request: testRequest('test-throw'),
      async run (params) {
        if (params.unrecoverable === true) throw new UnrecoverableError('test-throw: unrecoverable on purpose')
        throw new Error('test-throw: failing on purpose')
      }
    }),
    defineAnalysis({
      // Counts its runs in Redis (HINCRBY test:runs <tag>), so tests can count side effects.
      name: 'test-count',
      request: testRequest('test-count'),
      async run (params) {
        const ms = Number(params.ms ?? 0)
        if (ms > 0) await sleep(ms)
        const runs = await counter.hIncrBy('test:runs', String(params.tag ?? 'none'), 1)
        return { summary: { tag: params.tag ?? null, runs }, rows: [] }
      }
    })
  ]
}
