/**
 * The analysis projection of a gene: the few fields the analyses need, kept per version in a sorted
 * set by numeric id, and the chromosome a location names. Pure functions: the load's index thread
 * builds projection members without loading any Redis code.
 */
import type { HgncDoc } from '../hgnc/json-records.js'
import { textField } from './doc-fields.js'

const LEADING_CHROMOSOME = /^(X|Y|[1-9]|1[0-9]|2[0-2])(?=$|[pq\s]|cen|\b)/

/**
 * The chromosome an HGNC `location` names (`19q13.43` -> `19`, `Xp22.33 and Yp11.2` -> `X`,
 * `mitochondria` -> `MT`, `14 unplaced` -> `14`), or null when it names none (`reserved`,
 * `unplaced`, patches, no location).
 */
export function chromosomeOf (location: string): string | null {
  if (location === 'mitochondria') return 'MT'
  return LEADING_CHROMOSOME.exec(location)?.[1] ?? null
}

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

/**
 * Encodes the projection of one gene as one sorted-set member (tab-separated): the analyses' fields,
 * then its name (for symbol look-ups and result briefs).
 */
export function projectionMember (id: number, doc: HgncDoc): string {
  return [id, doc.symbol, doc['status'], doc['locus_group'], doc['locus_type'], doc['location'], doc['date_approved_reserved'], doc['name']]
    .map((value) => typeof value === 'number' ? String(value) : textField(value)).join('\t')
}

/** One projection member read back: the analyses' fields, and the gene's name. */
export function parseProjectionMember (member: string): { summary: GeneSummary, name: string } {
  const [id = '0', symbol = '', status = '', locusGroup = '', locusType = '', location = '', dateApproved = '', name = ''] = member.split('\t')
  return { summary: { id: Number(id), symbol, status, locusGroup, locusType, location, dateApproved }, name }
}
