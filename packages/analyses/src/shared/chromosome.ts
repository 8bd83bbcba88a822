import { chromosomeOf } from '@genejobs/jobs-core'

/** Where a gene sits, as the `chromosomes` analysis and the chromosome filter see it. */
export type Placement = string

export { chromosomeOf }

/**
 * A location's bucket for counting: its chromosome, or `reserved`, `unplaced`, `other` (patches,
 * alternate loci) or `no location`, so no gene is silently dropped.
 */
export function placementOf (location: string): Placement {
  const chromosome = chromosomeOf(location)
  if (chromosome !== null) return chromosome
  if (location === '') return 'no location'
  if (location === 'reserved' || location === 'unplaced') return location
  return 'other'
}
