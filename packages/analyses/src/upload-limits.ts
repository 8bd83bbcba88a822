/**
 * The most identifiers one uploaded file may hold (issue 13). An analysis that declares `upload`
 * must accept a list this long; the API refuses a longer file with 413 before anything is stored.
 */
export const UPLOAD_MAX_IDENTIFIERS = 200_000
