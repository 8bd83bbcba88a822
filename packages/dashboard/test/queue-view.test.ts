import t from 'tap'
import { queueView } from '../src/pages/queue-view.js'

t.test('reads GET /queue: pending, in progress, delayed, workers with heartbeat age', async (t) => {
  const view = queueView({
    pending: 3,
    in_progress: 1,
    delayed: 2,
    listed: 40,
    workers: [
      { id: 'w-1', alive: true, host: 'box', pid: 12, heartbeat_at: '2026-11-30T04:00:00.000Z', heartbeat_age_ms: 1200, jobs: 1 },
      { id: 'w-2', alive: false, heartbeat_age_ms: 90_000, jobs: 0 }
    ],
    recent_failed: [{ id: 'a', analysis: 'x', attempts: 3, error: 'boom' }]
  })
  t.same(view, {
    depth: 3,
    inProgress: 1,
    delayed: 2,
    workers: [
      { id: 'w-1', alive: true, heartbeatAgeMs: 1200, detail: 'host box, pid 12, jobs 1' },
      { id: 'w-2', alive: false, heartbeatAgeMs: 90_000, detail: 'jobs 0' }
    ]
  })
})

t.test('other shapes: counts as arrays, ages in seconds or as a time, and nothing at all', async (t) => {
  const now = Date.now()
  const view = queueView({ depth: 0, running: ['j1', 'j2'], failed: { count: 4 }, workers: [{ worker: 'w', heartbeat_age_s: 2 }, { name: 'v', last_heartbeat: new Date(now - 5000).toISOString() }] })
  t.equal(view.depth, 0)
  t.equal(view.inProgress, 2)
  t.equal(view.failed, 4)
  t.equal(view.workers[0]?.heartbeatAgeMs, 2000)
  t.ok((view.workers[1]?.heartbeatAgeMs ?? 0) >= 5000)
  t.same(queueView(null), { workers: [] })
})
