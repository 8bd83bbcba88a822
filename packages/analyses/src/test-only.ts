import Type from 'typebox'
import { UnrecoverableError } from '@genejobs/jobs-core'
import { defineAnalysis } from './analysis.js'
import { UPLOAD_MAX_IDENTIFIERS } from './upload-limits.js'

/** A test-only analysis's request: its name and a few loosely typed parameters. */
const testRequest = <Name extends string>(name: Name) => Type.Object({
  analysis: Type.Literal(name),
  ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description: 'how long to take, in ms' })),
  tag: Type.Optional(Type.String({ maxLength: 200, description: 'a label for the side-effect counter' })),
  unrecoverable: Type.Optional(Type.Boolean({ description: 'fail without retries' }))
}, { additionalProperties: false, examples: [{ analysis: name, ms: 100, tag: 'example' }] })

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Analyses that exist only for reliability tests and the chaos soak: they sleep, fail, or count how
 * many times they run. The API accepts them and the worker runs them only when
 * ENABLE_TEST_ANALYSES=true, which the config refuses under NODE_ENV=production.
 */
export const TEST_ANALYSES = [
  defineAnalysis({
    // Sleeps `ms` in steps, reporting progress.
    name: 'test-sleep',
    request: testRequest('test-sleep'),
    async run (params, context) {
      const ms = params.ms ?? 100
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
    // Counts its runs (the side effect tests count), after sleeping `ms`.
    name: 'test-count',
    request: testRequest('test-count'),
    async run (params, context) {
      if (context.countRun === undefined) throw new UnrecoverableError('test-count needs the test-run counter (ENABLE_TEST_ANALYSES=true)')
      if (params.ms !== undefined && params.ms > 0) await sleep(params.ms)
      const runs = await context.countRun(params.tag ?? 'none')
      return { summary: { tag: params.tag ?? null, runs }, rows: [] }
    }
  }),
  defineAnalysis({
    // Takes a file upload (its ids, and the form field `tag` copied): the upload path's generic test.
    name: 'test-upload',
    request: Type.Object({
      analysis: Type.Literal('test-upload'),
      ids: Type.Array(Type.String({ maxLength: 64, description: 'an id of at most 64 characters' }), { minItems: 1, maxItems: UPLOAD_MAX_IDENTIFIERS, description: 'the ids' }),
      tag: Type.Optional(Type.String({ maxLength: 200, description: 'a label' }))
    }, { additionalProperties: false }),
    async run (params) {
      return { summary: { ids: params.ids.length, tag: params.tag ?? null }, rows: params.ids.map((id) => ({ id })) }
    },
    upload: { list: 'ids', fields: ['tag'] }
  })
] as const
