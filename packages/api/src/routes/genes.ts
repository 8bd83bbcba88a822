import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { formatHgncId, GenejobsError } from '@genejobs/jobs-core'
import { allPages, firstPage, isPlainList } from '../gene-paging.js'
import { GeneListQuery } from '../schemas/paging.js'
import { errorResponses } from '../schemas/error.js'
import { GeneIdList, GeneParams, GeneRecord } from '../schemas/genes.js'
import { sendRawJson } from '../raw-json.js'

/** `GET /genes` and `GET /genes/:hgnc_id`. */
const geneRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/genes', {
    config: { rateLimit: app.rateLimits.heavyReads },
    schema: {
      summary: 'Every hgnc_id, in source order; filtered and paged (Link, X-Total-Count) when asked',
      querystring: GeneListQuery,
      response: { 200: GeneIdList, ...errorResponses(400, 404, 429, 503) }
    }
  }, async (request, reply) => {
    if (isPlainList(request.query)) return await app.genes.ids()
    const ids: string[] = []
    for await (const page of allPages(app.genes, request.query, await firstPage(app.genes, request.query, request.url, reply))) ids.push(...page.ids.map(formatHgncId))
    return ids
  })

  app.get('/genes/:hgnc_id', {
    schema: {
      summary: 'One gene record, exactly as the source had it',
      params: GeneParams,
      response: { 200: GeneRecord, ...errorResponses(400, 404, 503) }
    }
  }, (request, reply) => {
    // Sent as stored, not re-serialised: 64-bit integers such as _version_ come back unchanged.
    // A record served before is sent at once, without a promise (most reads, under load).
    const remembered = app.genes.remembered(request.params.hgnc_id)
    if (remembered !== undefined) {
      sendRawJson(reply, remembered)
      return
    }
    return app.genes.get(request.params.hgnc_id).then((raw) => {
      if (raw === null) throw new GenejobsError('GENE_NOT_FOUND', `no gene with id ${request.params.hgnc_id}`)
      sendRawJson(reply, raw)
    })
  })
}

export default geneRoutes
