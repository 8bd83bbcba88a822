import type { FastifyReply } from 'fastify'
import type { GeneFilter, GeneSelection, GeneStore } from '@genejobs/jobs-core'
import type { GeneListQuery } from './schemas/paging.js'

/** Genes per read while a filtered `GET /data` without a limit streams every match. */
const BATCH = 1000

/** Whether a list query asks for anything beyond today's whole list (no parameters: the seed contract). */
export function isPlainList (query: GeneListQuery): boolean {
  return Object.values(query).every((value) => value === undefined)
}

function filterOf (query: GeneListQuery): GeneFilter {
  const { status, locus_group: locusGroup, locus_type: locusType, chromosome } = query
  return Object.fromEntries(Object.entries({ status, locus_group: locusGroup, locus_type: locusType, chromosome }).filter(([, value]) => value !== undefined))
}

/**
 * Reads the first page a list query asks for and sets the paging headers: `X-Total-Count`, and
 * `Link: <...>; rel="next"` (the same query with the next cursor) when a limit leaves more.
 */
export async function firstPage (genes: GeneStore, query: GeneListQuery, url: string, reply: FastifyReply): Promise<GeneSelection> {
  const page = await genes.select(filterOf(query), query.cursor, query.limit ?? BATCH)
  reply.header('X-Total-Count', String(page.total))
  if (query.limit !== undefined && page.next !== null) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ ...query, cursor: page.next })) if (value !== undefined) params.append(key, String(value))
    reply.header('Link', `<${url.split('?')[0] ?? ''}?${params.toString()}>; rel="next"`)
  }
  return page
}

/** The pages after `first` when no limit was asked for (every match, `BATCH` at a time). */
export async function * allPages (genes: GeneStore, query: GeneListQuery, first: GeneSelection): AsyncGenerator<GeneSelection> {
  yield first
  if (query.limit !== undefined) return
  for (let next = first.next; next !== null;) {
    const page = await genes.select(filterOf(query), next, BATCH)
    yield page
    next = page.next
  }
}
