import { approvalTimeline } from './approval-timeline.js'
import { chromosomes } from './chromosomes.js'
import { idMapping } from './id-mapping.js'
import { locusTypes } from './locus-types.js'
import { symbolCheck } from './symbol-check.js'

/**
 * Every analysis a job can run, one line each, in the order the API lists them. Adding an analysis
 * is a file beside this one (see `approval-timeline.ts`) and a line here.
 */
export const ANALYSES = [
  approvalTimeline,
  locusTypes,
  chromosomes,
  symbolCheck,
  idMapping
] as const

/** The analysis a request runs when it names none. */
export const DEFAULT_ANALYSIS = 'approval-timeline'
