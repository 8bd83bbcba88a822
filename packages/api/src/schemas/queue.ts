import Type from 'typebox'

/** One registered worker in `GET /queue`. */
const WorkerStatus = Type.Object({
  id: Type.String(),
  alive: Type.Boolean({ description: 'whether its heartbeat is current (false: the reaper will re-queue its jobs)' }),
  host: Type.Optional(Type.String()),
  pid: Type.Optional(Type.Integer()),
  started_at: Type.Optional(Type.String()),
  heartbeat_at: Type.Optional(Type.String({ description: 'when it last beat (ISO)' })),
  heartbeat_age_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'how long ago it last beat' })),
  jobs: Type.Integer({ minimum: 0, description: 'jobs it holds now' })
})

/** A recent failed job in `GET /queue`. */
const FailedJob = Type.Object({
  id: Type.String(),
  analysis: Type.String(),
  attempts: Type.Integer(),
  error: Type.String({ description: 'why it failed' }),
  finished_at: Type.Optional(Type.String())
})

/** The answer of `GET /queue`. */
export const QueueStatusResponse = Type.Object({
  pending: Type.Integer({ minimum: 0, description: 'jobs waiting for a worker' }),
  in_progress: Type.Integer({ minimum: 0, description: 'jobs a worker is running' }),
  delayed: Type.Integer({ minimum: 0, description: 'jobs waiting out the back-off before a retry' }),
  listed: Type.Integer({ minimum: 0, description: 'jobs of every status in the listing, until they expire' }),
  workers: Type.Array(WorkerStatus, { description: 'registered workers, by id' }),
  recent_failed: Type.Array(FailedJob, { description: 'the newest failed jobs (at most 10, among the newest 1,000 jobs); all of them: GET /jobs?status=failed' })
})
