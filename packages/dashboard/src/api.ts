// The API's own Job type: a type-only import, so nothing of jobs-core reaches the bundle.
import type { Job } from '@genejobs/jobs-core/job'

/** An error answer of the API, in its one shape: status, reason phrase and a message naming the field. */
export class ApiError extends Error {
  readonly status: number
  constructor (status: number, message: string) {
    super(message)
    this.status = status
  }

  /** The request field a `body/<field> ...` message names, if any. */
  get field (): string | undefined {
    return /^body\/([A-Za-z0-9_]+)/.exec(this.message)?.[1]
  }
}

const TOKEN_KEY = 'genejobs-admin-token'

/** The admin token, kept for this tab only (sessionStorage), or undefined. */
export function adminToken (): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined
}

/** Keeps (or, given an empty string, forgets) the admin token for this tab. */
export function setAdminToken (token: string): void {
  if (token === '') sessionStorage.removeItem(TOKEN_KEY)
  else sessionStorage.setItem(TOKEN_KEY, token)
}

/** Options of `api`: a method, a JSON body, and whether to send the admin token. */
export interface ApiOptions {
  method?: string
  body?: unknown
  admin?: boolean
}

/** Calls a route of the API (same origin) and returns its JSON answer; throws `ApiError` otherwise. */
export async function api<T> (path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const token = adminToken()
  if (options.admin === true && token !== undefined) headers['authorization'] = `Bearer ${token}`
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {})
  })
  const text = await res.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  if (!res.ok) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : `${res.status} ${res.statusText}`
    throw new ApiError(res.status, message)
  }
  return body as T
}

/** A job, as `GET /jobs/:id` returns it. */
export type { Job }

/** Whether a job has reached its end (no more changes to wait for). */
export const isFinished = (job: Job): boolean => job.status === 'complete' || job.status === 'failed'

/** One analysis of `GET /analyses`: its name and the JSON Schema of its request. */
export interface AnalysisInfo {
  name: string
  schema: JsonSchema
}

/** The parts of a JSON Schema the forms read. */
export interface JsonSchema {
  type?: string
  description?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  minimum?: number
  maximum?: number
  maxItems?: number
  maxLength?: number
  default?: unknown
}
