import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { FETCH_FIELDS } from '@genejobs/jobs-core'
import { sendRawJson } from '../raw-json.js'
import { errorResponses } from '../schemas/error.js'
import { FetchFieldList, FetchParams, FetchResult } from '../schemas/lookups.js'

/**
 * `GET /fetch` and `GET /fetch/:field/:value`: exact, case-insensitive look-ups by identifier, as
 * HGNC's REST `/fetch` does, through the value -> genes indexes written at load time.
 */
const fetchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/fetch', {
    schema: {
      summary: 'The fields genes can be fetched by',
      response: { 200: FetchFieldList }
    }
  }, async () => ({ fields: [...FETCH_FIELDS] }))

  app.get('/fetch/:field/:value', {
    schema: {
      summary: 'Every gene whose field has the value (exact, case-insensitive; any element of a list field)',
      params: FetchParams,
      response: { 200: FetchResult, ...errorResponses(400, 404, 503) }
    }
  }, async (request, reply) => {
    const records = await app.genes.fetch(request.params.field, request.params.value)
    // The records are sent as stored (a JSON.parse round trip would round 64-bit `_version_`).
    return sendRawJson(reply, `{"total":${records.length},"genes":[${records.join(',')}]}`)
  })
}

export default fetchRoutes
