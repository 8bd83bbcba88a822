import { formatHgncId } from '../hgnc/gene-id.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import type { ProjectionReader } from './current-version.js'
import { lookupSymbols } from './symbol-index.js'

/** What a result shows of one gene: its id, symbol, name, status and location, as sourced. */
export interface GeneBrief {
  hgnc_id: string
  symbol: string
  name: string
  status: string
  location: string
}

/**
 * The brief of each gene among `ids` (numeric HGNC ids) that the current version holds, by id; ids
 * it does not hold are left out. Batched whatever the number of ids: one projection read over the
 * ids' range (free in a worker, which caches it), then the names from the symbol index, 2,000
 * symbols per script call, except for the genes whose name `names` already has (e.g. from a symbol
 * look-up). Throws `NO_DATA` when nothing is loaded.
 */
export async function describeGenes (client: RedisClient, keys: Keys['genes'], projection: ProjectionReader, ids: Iterable<number>, names?: ReadonlyMap<number, string>): Promise<Map<number, GeneBrief>> {
  const wanted = new Set(ids)
  const briefs = new Map<number, GeneBrief>()
  if (wanted.size === 0) return briefs
  let low = Infinity
  let high = -Infinity
  for (const id of wanted) {
    if (id < low) low = id
    if (id > high) high = id
  }
  const found = (await projection.summaries(low, high)).filter((gene) => wanted.has(gene.id))
  // A gene's own symbol (without HGNC's `~withdrawn` suffix) is always in the symbol index, which
  // holds its name; the projection holds everything else.
  const unnamed = found.filter((gene) => names?.get(gene.id) === undefined)
  const matches = await lookupSymbols(client, keys, unnamed.map((gene) => gene.symbol.replace(/~withdrawn$/, '')))
  const looked = new Map<number, string>()
  unnamed.forEach((gene, i) => {
    const hgncId = formatHgncId(gene.id)
    const own = matches[i]?.find((match) => match.hgnc_id === hgncId && (match.match === 'approved' || match.match === 'withdrawn'))
    looked.set(gene.id, own?.name ?? '')
  })
  for (const gene of found) {
    const name = names?.get(gene.id) ?? looked.get(gene.id) ?? ''
    briefs.set(gene.id, { hgnc_id: formatHgncId(gene.id), symbol: gene.symbol, name, status: gene.status, location: gene.location })
  }
  return briefs
}
