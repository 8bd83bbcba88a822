/** The queue figures the status page shows, read from `GET /queue`. */
export interface QueueView {
  depth?: number
  inProgress?: number
  delayed?: number
  failed?: number
  workers: Array<{ id: string, alive?: boolean, heartbeatAgeMs?: number, detail: string }>
}

type Loose = Record<string, unknown>

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : Array.isArray(value) ? value.length : typeof value === 'object' && value !== null && typeof (value as Loose)['count'] === 'number' ? (value as Loose)['count'] as number : undefined

function first (object: Loose, names: string[]): unknown {
  for (const name of names) if (object[name] !== undefined) return object[name]
  return undefined
}

function ageMs (worker: Loose): number | undefined {
  const ms = first(worker, ['heartbeat_age_ms', 'heartbeatAgeMs', 'age_ms', 'last_seen_ms'])
  if (typeof ms === 'number') return ms
  const seconds = first(worker, ['heartbeat_age_s', 'heartbeat_age_seconds', 'heartbeat_age', 'age_s', 'age'])
  if (typeof seconds === 'number') return seconds * 1000
  const at = first(worker, ['heartbeat_at', 'last_heartbeat', 'heartbeat'])
  if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return Date.now() - Date.parse(at)
  if (typeof at === 'number') return Date.now() - at
  return undefined
}

/** Reads `GET /queue`'s answer leniently: depth, in progress, failed count and workers with their heartbeat age. */
export function queueView (answer: unknown): QueueView {
  const queue = (typeof answer === 'object' && answer !== null ? answer : {}) as Loose
  const rawWorkers = first(queue, ['workers', 'workers_alive', 'alive'])
  const list: unknown[] = Array.isArray(rawWorkers) ? rawWorkers : typeof rawWorkers === 'object' && rawWorkers !== null && Array.isArray((rawWorkers as Loose)['alive']) ? (rawWorkers as Loose)['alive'] as unknown[] : []
  const view: QueueView = {
    workers: list.map((item, i) => {
      const worker = (typeof item === 'object' && item !== null ? item : { id: String(item) }) as Loose
      const id = String(first(worker, ['id', 'worker', 'worker_id', 'name']) ?? `worker ${i + 1}`)
      const heartbeatAgeMs = ageMs(worker)
      const detail = Object.entries(worker).filter(([key, value]) => !/^(id|worker|worker_id|name|alive)$|heartbeat|age/.test(key) && typeof value !== 'object').map(([key, value]) => `${key.replace(/_/g, ' ')} ${String(value)}`).join(', ')
      const alive = typeof worker['alive'] === 'boolean' ? worker['alive'] : undefined
      return { id, detail, ...(alive !== undefined ? { alive } : {}), ...(heartbeatAgeMs !== undefined ? { heartbeatAgeMs } : {}) }
    })
  }
  const depth = numberOf(first(queue, ['pending', 'depth', 'queued', 'waiting', 'queue_depth']))
  const inProgress = numberOf(first(queue, ['in_progress', 'inProgress', 'running', 'active']))
  const delayed = numberOf(first(queue, ['delayed']))
  const failed = numberOf(first(queue, ['failed', 'failed_count']))
  return {
    ...view,
    ...(depth !== undefined ? { depth } : {}),
    ...(inProgress !== undefined ? { inProgress } : {}),
    ...(delayed !== undefined ? { delayed } : {}),
    ...(failed !== undefined ? { failed } : {})
  }
}
