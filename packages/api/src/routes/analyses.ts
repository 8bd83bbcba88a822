import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { analysesByName } from '@genejobs/analyses'
import { sendRawJson } from '../raw-json.js'
import { errorResponses } from '../schemas/error.js'

/** Options of the analyses route. */
export interface AnalysesRoutesOptions {
  /** List the test-only analyses too (ENABLE_TEST_ANALYSES=true; never in production). */
  testAnalyses: boolean
}

/** The answer of `GET /analyses`. */
export const AnalysisList = Type.Object({
  analyses: Type.Array(Type.Object({
    name: Type.String({ description: 'what a job names in `analysis`' }),
    schema: Type.Record(Type.String(), Type.Unknown(), { description: 'the JSON Schema of its POST /jobs body' })
  }))
})

/**
 * `GET /analyses`: every analysis a job can run, with the JSON Schema of its request, so clients
 * (the dashboard's forms among them) follow new analyses without changes of their own.
 */
const analysesRoutes: FastifyPluginAsyncTypebox<AnalysesRoutesOptions> = async (app, options) => {
  // TypeBox schemas are JSON Schema; a JSON round trip drops TypeBox's own (symbol) markers.
  const body = JSON.stringify({
    analyses: [...analysesByName(options.testAnalyses).values()].map((analysis) => ({ name: analysis.name, schema: analysis.request }))
  })
  app.get('/analyses', {
    schema: {
      summary: 'The analyses a job can run, each with the JSON Schema of its request body',
      response: { 200: AnalysisList, ...errorResponses(400) }
    }
  }, async (request, reply) => sendRawJson(reply, body))
}

export default analysesRoutes
