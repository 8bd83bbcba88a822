import { formatHgncId } from '../hgnc/gene-id.js'
import type { ProjectionReader } from './current-version.js'

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
 * it does not hold are left out. One projection read over the ids' range, names included (free in
 * a worker, which caches it); a name in `names` (e.g. from a symbol look-up) wins. Throws `NO_DATA`
 * when nothing is loaded.
 */
export async function describeGenes (projection: ProjectionReader, ids: Iterable<number>, names?: ReadonlyMap<number, string>): Promise<Map<number, GeneBrief>> {
  const wanted = new Set(ids)
  const briefs = new Map<number, GeneBrief>()
  if (wanted.size === 0) return briefs
  let low = Infinity
  let high = -Infinity
  for (const id of wanted) {
    if (id < low) low = id
    if (id > high) high = id
  }
  const { genes, names: projected } = await projection.named(low, high)
  genes.forEach((gene, i) => {
    if (!wanted.has(gene.id)) return
    const name = names?.get(gene.id) ?? projected[i] ?? ''
    briefs.set(gene.id, { hgnc_id: formatHgncId(gene.id), symbol: gene.symbol, name, status: gene.status, location: gene.location })
  })
  return briefs
}
