import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { isGenejobsError, readHgncSource, type GeneSelection, type GeneStore } from '@genejobs/jobs-core'
import { errorResponses } from '../schemas/error.js'
import { DeleteResult, GeneRecord, LoadResult } from '../schemas/genes.js'
import { sendRawJson } from '../raw-json.js'
import { allPages, firstPage, isPlainList } from '../gene-paging.js'
import { GeneListQuery } from '../schemas/paging.js'

/** Options of the data routes: where `POST /data` loads from (configuration only, never a request). */
export interface DataRoutesOptions {
  hgncSource: string
}

/** Streams `[record,record,...]` without building the whole array in memory. */
async function * jsonArray (batches: AsyncIterable<string[]>): AsyncGenerator<string> {
  yield '['
  let first = true
  for await (const batch of batches) {
    if (batch.length === 0) continue
    yield (first ? '' : ',') + batch.join(',')
    first = false
  }
  yield ']'
}

/** The records of each page of a filtered or paged `GET /data`, read from the page's version. */
async function * recordPages (genes: GeneStore, query: GeneListQuery, first: GeneSelection): AsyncGenerator<string[]> {
  for await (const page of allPages(genes, query, first)) yield await genes.recordsOf(page.version, page.ids)
}

/** `POST /data`, `GET /data`, `DELETE /data`: load, read and delete the whole gene data set. */
const dataRoutes: FastifyPluginAsyncTypebox<DataRoutesOptions> = async (app, options) => {
  // Admin routes: the token (or loopback) is checked in onRequest, before the body is even read.
  app.post('/data', {
    onRequest: app.requireAdmin,
    schema: {
      summary: 'Load the HGNC complete set from HGNC_SOURCE, replacing the current data atomically (admin)',
      response: { 201: LoadResult, ...errorResponses(400, 401, 403, 409, 413, 415, 422, 502, 503, 507) }
    }
  }, async (request, reply) => {
    const source = options.hgncSource
    request.log.info({ source }, 'gene data load started')
    const summary = await app.genes.load(readHgncSource(source), source)
    request.log.info({ source, loaded: summary.loaded, ms: summary.ms }, 'gene data load finished')
    return reply.code(201).send({
      loaded: summary.loaded,
      source: summary.source,
      ms: summary.ms,
      message: `loaded ${summary.loaded} genes from ${summary.source} in ${summary.ms} ms`
    })
  })

  app.get('/data', {
    config: { rateLimit: app.rateLimits.heavyReads },
    schema: {
      summary: 'Every gene record, as one JSON array in source order (streamed); filtered and paged (Link, X-Total-Count) when asked',
      querystring: GeneListQuery,
      response: { 200: Type.Array(GeneRecord), ...errorResponses(400, 404, 429, 503) }
    }
  }, async (request, reply) => {
    const plain = isPlainList(request.query)
    if (plain && await app.genes.currentVersion() === null) return sendRawJson(reply, '[]')
    const batches = plain ? app.genes.streamRecords() : recordPages(app.genes, request.query, await firstPage(app.genes, request.query, request.url, reply))
    const stream = Readable.from(jsonArray(batches))
    stream.on('error', (err) => {
      // Headers are gone by now: the client sees a cut-off body; the log says why.
      request.log.error({ err }, isGenejobsError(err) ? 'gene data changed while streaming' : 'streaming gene data failed')
    })
    return sendRawJson(reply, stream)
  })

  app.delete('/data', {
    onRequest: app.requireAdmin,
    schema: {
      summary: 'Delete the whole gene data set (admin)',
      response: { 200: DeleteResult, ...errorResponses(400, 401, 403, 409, 413, 415, 503, 507) }
    }
  }, async () => {
    const deleted = await app.genes.deleteAll()
    return { deleted, message: deleted === 0 ? 'no gene data was loaded: nothing to delete' : `deleted ${deleted} genes` }
  })
}

export default dataRoutes
