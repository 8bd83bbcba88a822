import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../schemas/error.js'
import { SearchQuery, SearchResult } from '../schemas/lookups.js'

/** `GET /search`: find genes by symbol, prefix, name words or any identifier, ranked. */
const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/search', {
    schema: {
      summary: 'Search genes: exact symbol, previous symbol or alias, prefix (trailing *), all name words, ids and cross-reference ids',
      querystring: SearchQuery,
      response: { 200: SearchResult, ...errorResponses(400, 404, 503) }
    }
  }, async (request) => {
    const { q, offset, limit } = request.query
    return await app.genes.search(q, offset, limit)
  })
}

export default searchRoutes
