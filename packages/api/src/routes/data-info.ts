import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { GenejobsError } from '@genejobs/jobs-core'
import { errorResponses } from '../schemas/error.js'
import { DataInfo } from '../schemas/genes.js'

/** `GET /data/info`: the provenance of the current gene data version (two small Redis reads). */
const dataInfoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/data/info', {
    schema: {
      summary: 'Which HGNC snapshot is loaded: version, source, load time, SHA-256 of the source bytes, gene count',
      response: { 200: DataInfo, ...errorResponses(404, 503) }
    }
  }, async () => {
    const info = await app.genes.info()
    if (info === null) throw new GenejobsError('NO_DATA', 'no gene data is loaded: POST /data first')
    return info
  })
}

export default dataInfoRoutes
