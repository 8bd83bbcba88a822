import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../schemas/error.js'
import { SymbolLookup, SymbolParams } from '../schemas/genes.js'

/** `GET /symbols/:symbol`: which genes a symbol names (approved, previous, alias, withdrawn). */
const symbolRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/symbols/:symbol', {
    schema: {
      summary: 'Look a gene symbol up, case-insensitively',
      params: SymbolParams,
      response: { 200: SymbolLookup, ...errorResponses(400, 404, 503) }
    }
  }, async (request) => {
    const { symbol } = request.params
    return { query: symbol, matches: await app.genes.lookupSymbol(symbol) }
  })
}

export default symbolRoutes
