import type { HgncDoc } from '../hgnc/json-records.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { requireVersion } from './current-version.js'
import { textField } from './doc-fields.js'

/** The few fields of a gene the analyses need, kept in a sorted set by numeric id at load time. */
export interface GeneSummary {
  id: number
  symbol: string
  status: string
  locusGroup: string
  locusType: string
  location: string
  dateApproved: string
}

/** Encodes the analysis projection of one gene as one sorted-set member (tab-separated). */
export function projectionMember (id: number, doc: HgncDoc): string {
  return [id, doc.symbol, doc['status'], doc['locus_group'], doc['locus_type'], doc['location'], doc['date_approved_reserved']]
    .map((value) => typeof value === 'number' ? String(value) : textField(value)).join('\t')
}

function parseProjectionMember (member: string): GeneSummary {
  const [id = '0', symbol = '', status = '', locusGroup = '', locusType = '', location = '', dateApproved = ''] = member.split('\t')
  return { id: Number(id), symbol, status, locusGroup, locusType, location, dateApproved }
}

/**
 * Reads the projection of the current version by id range. With `cache`, the whole projection of
 * the current version is kept in memory (workers): a range read then costs one GET of the version
 * pointer instead of transferring the range, and the copy refreshes when a load swaps versions.
 */
export class ProjectionReader {
  private cached: { version: string, genes: GeneSummary[] } | undefined

  constructor (
    private readonly client: RedisClient,
    private readonly keys: Keys['genes'],
    private readonly cache: boolean
  ) {}

  /** The genes whose numeric id is in [start, end], in id order (no key scans). Throws `NO_DATA`. */
  async summaries (start: number, end: number): Promise<GeneSummary[]> {
    const version = await requireVersion(this.client, this.keys)
    if (!this.cache) {
      const members = await this.client.zRangeByScore(this.keys.projection(version), start, end)
      return members.map(parseProjectionMember)
    }
    if (this.cached?.version !== version) {
      const members = await this.client.zRange(this.keys.projection(version), 0, -1)
      this.cached = { version, genes: members.map(parseProjectionMember) }
    }
    const genes = this.cached.genes
    return genes.slice(firstAtLeast(genes, start), firstAtLeast(genes, end + 1))
  }
}

/** Index of the first gene (sorted by id) whose id is at least `id`. */
function firstAtLeast (genes: GeneSummary[], id: number): number {
  let low = 0
  let high = genes.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((genes[middle] as GeneSummary).id < id) low = middle + 1
    else high = middle
  }
  return low
}
