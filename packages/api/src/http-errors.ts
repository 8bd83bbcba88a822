import createError from '@fastify/error'
import { GenejobsError, type JobStatus } from '@genejobs/jobs-core'

// The API's own refusals, as coded errors in Fastify's style (`code`, `statusCode`, `message`): a
// hook or handler throws one and the root error handler (plugins/errors.ts) answers it with the one
// `{ statusCode, error, message }` body. Failures jobs-core describes are GenejobsErrors instead.

/** 400: the request is malformed; the message names the part and the rule. */
export const BadRequestError = createError<'GENEJOBS_BAD_REQUEST', 400, [message: string]>('GENEJOBS_BAD_REQUEST', '%s', 400)

/** 413: an upload past one of its limits; the message says which limit. */
export const UploadTooLargeError = createError<'GENEJOBS_UPLOAD_TOO_LARGE', 413, [message: string]>('GENEJOBS_UPLOAD_TOO_LARGE', '%s', 413)

/** 415: an uploaded file of a type genejobs does not read (an archive, a spreadsheet, an image...). */
export const UnsupportedUploadTypeError = createError<'GENEJOBS_UNSUPPORTED_UPLOAD_TYPE', 415, [message: string]>('GENEJOBS_UNSUPPORTED_UPLOAD_TYPE', '%s', 415)

/** 404: a path whose parameter cannot name any resource (a malformed id); the message says what one looks like. */
export const PathNotFoundError = createError<'GENEJOBS_PATH_NOT_FOUND', 404, [message: string]>('GENEJOBS_PATH_NOT_FOUND', '%s', 404)

/** 409: a job submitted while no gene data is loaded (it could only fail). */
export const NoGeneDataError = createError<'GENEJOBS_NO_GENE_DATA', 409, []>(
  'GENEJOBS_NO_GENE_DATA', 'no gene data is loaded: POST /data first', 409)

/** 415: a JSON body in a charset other than UTF-8 (the argument is the quoted charset). */
export const UnsupportedCharsetError = createError<'GENEJOBS_UNSUPPORTED_CHARSET', 415, [charset: string]>(
  'GENEJOBS_UNSUPPORTED_CHARSET', 'Content-Type charset %s is not supported: send application/json in UTF-8', 415)

/** 415: a body sent with a Content-Encoding (gzip, ...); bodies are taken uncompressed only. */
export const UnsupportedEncodingError = createError<'GENEJOBS_UNSUPPORTED_ENCODING', 415, [encoding: string]>(
  'GENEJOBS_UNSUPPORTED_ENCODING', 'unsupported content encoding %s: send the body uncompressed (no Content-Encoding)', 415)

/** 401: an admin route called without a token (the argument is the route, e.g. `POST /data`). */
export const AdminTokenRequiredError = createError<'GENEJOBS_ADMIN_TOKEN_REQUIRED', 401, [route: string]>(
  'GENEJOBS_ADMIN_TOKEN_REQUIRED', '%s needs the admin token: send Authorization: Bearer <API_ADMIN_TOKEN>', 401)

/** 401: an Authorization header that is not `Bearer <token>`. */
export const MalformedAuthorizationError = createError<'GENEJOBS_MALFORMED_AUTHORIZATION', 401, []>(
  'GENEJOBS_MALFORMED_AUTHORIZATION', 'the Authorization header must be "Bearer <token>"', 401)

/** 403: a bearer token that is not the admin token. */
export const AdminTokenInvalidError = createError<'GENEJOBS_ADMIN_TOKEN_INVALID', 403, []>(
  'GENEJOBS_ADMIN_TOKEN_INVALID', 'the admin token is not valid', 403)

/** 403: an admin route called from elsewhere than loopback while no admin token is configured. */
export const LoopbackOnlyError = createError<'GENEJOBS_LOOPBACK_ONLY', 403, [route: string]>(
  'GENEJOBS_LOOPBACK_ONLY', '%s is allowed only from loopback because API_ADMIN_TOKEN is not set', 403)

/** 406: no form of the result matches the Accept header; the message says which are offered. */
export const NotAcceptableError = createError<'GENEJOBS_NOT_ACCEPTABLE', 406, [message: string]>('GENEJOBS_NOT_ACCEPTABLE', '%s', 406)

/** 429: a client over one of the rate-limit budgets (`Retry-After` is set on the reply); names the setting that raises it. */
export const RateLimitedError = createError<'GENEJOBS_RATE_LIMITED', 429, [max: number, what: string, seconds: number, unit: string, setting: string]>(
  'GENEJOBS_RATE_LIMITED', 'too many requests: at most %d %s per minute per client; retry in %d %s (the server setting %s raises the limit)', 429)

/**
 * A job whose result is not ready yet (code `JOB_NOT_COMPLETE`, answered 202). It carries the job's
 * status because that answer is `{ status, message }`, not an error body.
 */
export class JobNotCompleteError extends GenejobsError {
  constructor (readonly jobStatus: JobStatus, jobId: string) {
    super('JOB_NOT_COMPLETE', `job ${jobId} is not complete yet`)
    this.name = 'JobNotCompleteError'
  }
}

/** 503: the process is shutting down; load balancers should send requests elsewhere. */
export const ShuttingDownError = createError<'GENEJOBS_SHUTTING_DOWN', 503, []>(
  'GENEJOBS_SHUTTING_DOWN', 'the API is shutting down', 503)
