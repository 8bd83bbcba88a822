/** Stable codes for the failures jobs-core reports; the API maps each to one HTTP status. */
export type ErrorCode =
  | 'INVALID_ID'
  | 'GENE_NOT_FOUND'
  | 'NO_DATA'
  | 'SOURCE_UNREACHABLE'
  | 'SOURCE_MALFORMED'
  | 'LOAD_IN_PROGRESS'
  | 'JOB_NOT_FOUND'
  | 'JOB_NOT_COMPLETE'
  | 'JOB_FAILED'
  | 'JOB_NOT_FAILED'
  | 'RESULT_NOT_FOUND'
  | 'INVALID_JOB'
  | 'UNRECOVERABLE'
  | 'REDIS_UNAVAILABLE'

/** A failure jobs-core expects and can describe: carries a stable `code`, never an HTTP status. */
export class GenejobsError extends Error {
  constructor (readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GenejobsError'
  }
}

/** Tells whether a value is a `GenejobsError`, optionally with a given code. */
export function isGenejobsError (value: unknown, code?: ErrorCode): value is GenejobsError {
  return value instanceof GenejobsError && (code === undefined || value.code === code)
}

/**
 * Thrown by an analysis when retrying cannot help (bad parameters, no data loaded): the worker
 * fails the job at once instead of spending its remaining attempts.
 */
export class UnrecoverableError extends GenejobsError {
  constructor (message: string, options?: { cause?: unknown }) {
    super('UNRECOVERABLE', message, options)
    this.name = 'UnrecoverableError'
  }
}
