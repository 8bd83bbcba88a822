import Type from 'typebox'
import { JOB_ID_PATTERN, JOB_STATUSES } from '@genejobs/jobs-core'

/** `:id` of job and result routes: a UUID v4. */
export const JobParams = Type.Object({
  id: Type.String({ pattern: JOB_ID_PATTERN, maxLength: 36, description: 'a job id (UUID v4)' })
}, { additionalProperties: false })

/** A job, as `POST /jobs` and `GET /jobs/:id` return it. */
export const JobResponse = Type.Object({
  id: Type.String(),
  status: Type.Enum([...JOB_STATUSES]),
  analysis: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String(),
  started_at: Type.Optional(Type.String()),
  finished_at: Type.Optional(Type.String()),
  attempts: Type.Integer({ description: 'how many times a worker has started it' }),
  progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  error: Type.Optional(Type.String({ description: 'why it failed' })),
  last_error: Type.Optional(Type.String({ description: 'why the last attempt failed, while a retry waits' }))
})

/** The query of `GET /jobs`. */
export const JobListQuery = Type.Object({
  status: Type.Optional(Type.Enum([...JOB_STATUSES], { description: 'only jobs with this status' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'at most this many ids, 1 to 1000' })
}, { additionalProperties: false })

/** The answer of `GET /jobs`. */
export const JobList = Type.Object({
  jobs: Type.Array(Type.String(), { description: 'job ids, newest first' })
})

/** `GET /results/:id` while the job is not finished. */
export const ResultPending = Type.Object({
  status: Type.Enum(['submitted', 'in progress']),
  message: Type.String()
})

/** The forms `GET /results/:id` serves a result in. */
export const RESULT_FORMATS = ['json', 'svg', 'png', 'vega-lite', 'csv', 'tsv'] as const
/** One form of a result. */
export type ResultFormat = typeof RESULT_FORMATS[number]

/** The query of `GET /results/:id`. */
export const ResultQuery = Type.Object({
  format: Type.Optional(Type.Enum([...RESULT_FORMATS], {
    description: `the form of the result: ${RESULT_FORMATS.join(', ')}; without it the Accept header decides (JSON by default)`
  }))
}, { additionalProperties: false })

/** The data of each `GET /jobs/:id/events` message: a job's state (no parameters) and its `seq`. */
export const JobEventData = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ minimum: 0, description: 'orders the states of one job; also the SSE `id:`' }),
  status: Type.Enum([...JOB_STATUSES]),
  attempts: Type.Integer(),
  progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  error: Type.Optional(Type.String()),
  last_error: Type.Optional(Type.String()),
  started_at: Type.Optional(Type.String()),
  finished_at: Type.Optional(Type.String())
})

/** The `text/event-stream` answer of `GET /jobs/:id/events`. */
export const JobEventStream = {
  description: 'Server-Sent Events: `event: status` or `event: progress`, `id:` the seq, `data:` a JobEventData JSON object; ends after complete or failed',
  content: {
    'text/event-stream': {
      schema: Type.String({ description: 'an event stream; each message\'s data is one JobEventData object' })
    }
  }
}
