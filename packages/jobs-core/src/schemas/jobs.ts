/** HGNC's locus groups, as `locus_group` holds them. */
export const LOCUS_GROUPS = ['protein-coding gene', 'non-coding RNA', 'pseudogene', 'phenotype', 'other', 'withdrawn'] as const
/** HGNC record statuses. */
export const GENE_STATUSES = ['Approved', 'Entry Withdrawn'] as const
/** Chromosomes in their display order. */
export const CHROMOSOMES = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'] as const
/** Job statuses: submitted -> in progress -> complete | failed (in progress -> submitted on a retry). */
export const JOB_STATUSES = ['submitted', 'in progress', 'complete', 'failed'] as const
/** A job's status. */
export type JobStatus = typeof JOB_STATUSES[number]

/**
 * A checked job request, as `JobQueue.create` stores it: the analysis's name and its parameters.
 * Each analysis checks its own parameters (in `@genejobs/analyses`); jobs-core knows none of them.
 */
export type JobRequest = { analysis: string } & Record<string, unknown>
