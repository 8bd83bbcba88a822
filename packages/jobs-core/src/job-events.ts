import type { Keys } from './keys.js'
import type { Logger } from './logger.js'
import { closeRedisClient, type RedisClient } from './redis.js'
import { readJobFields } from './job-fields.js'
import { shownTime } from './job.js'
import { JOB_STATUSES, type JobStatus } from './schemas/jobs.js'

/** One state of a job as its events channel announces it (`GET /jobs/:id/events`). */
export interface JobEvent {
  id: string
  /** Orders a job's states: each transition adds 1 (kept on the record as `seq`). */
  seq: number
  status: JobStatus
  attempts: number
  progress?: number
  error?: string
  last_error?: string
  started_at?: string
  finished_at?: string
}

/** The record fields an event carries besides `id` and `seq` (the scripts publish the same ones). */
const EVENT_FIELDS = ['status', 'progress', 'attempts', 'error', 'last_error', 'started_at', 'finished_at'] as const

/** Whether a job's state is final: no event follows it (until an operator retries the job). */
export function isFinalEvent (event: Pick<JobEvent, 'status'>): boolean {
  return event.status === 'complete' || event.status === 'failed'
}

/** Builds an event from the record's fields (strings, as Redis keeps them); null without a status. */
function toEvent (id: string, seq: string | number | null | undefined, fields: Partial<Record<typeof EVENT_FIELDS[number], string | null>>): JobEvent | null {
  const status = fields.status
  if (status === undefined || status === null || !(JOB_STATUSES as readonly string[]).includes(status)) return null
  const event: JobEvent = { id, seq: Number(seq ?? 0), status: status as JobStatus, attempts: Number(fields.attempts ?? 0) }
  // A complete record keeps no progress: it is 100. Times are kept as epoch ms, shown as ISO.
  if (fields.progress != null) event.progress = Number(fields.progress)
  else if (event.status === 'complete') event.progress = 100
  for (const field of ['error', 'last_error'] as const) {
    const value = fields[field]
    if (value != null) event[field] = value
  }
  for (const field of ['started_at', 'finished_at'] as const) {
    const value = fields[field]
    if (value != null) event[field] = shownTime(value)
  }
  return event
}

/** One watched job: its listeners, the subscription, and the channel handler it was made with. */
interface WatchEntry {
  listeners: Set<JobEventListener>
  subscribed: Promise<void>
  handler: (message: string) => void
}

/** What a `JobEventHub` is built from. */
export interface JobEventHubOptions {
  /** A connection of the hub's own (it goes into subscriber mode), unconnected; the hub connects and closes it. */
  subscriber: RedisClient
  /** A connection to the jobs database for reading a job's current state. */
  reader: RedisClient
  keys: Keys
  logger?: Logger
}

/** Called with each new state of a watched job; null when the job is gone (expired, or lost with Redis's data). */
export type JobEventListener = (event: JobEvent | null) => void

/**
 * Fans the job events Redis publishes out to any number of watchers over ONE subscriber
 * connection: a job's channel is subscribed while someone watches it. Watch first, then read the
 * current state (`current`): an event that crossed the read is told apart by `seq`. After the
 * connection comes back (Redis restarted), node-redis subscribes again and the hub re-reads every
 * watched job, so a change made while it was away is not missed.
 */
export class JobEventHub {
  private readonly subscriber: RedisClient
  private readonly reader: RedisClient
  private readonly keys: Keys
  private readonly logger: Logger | undefined
  private readonly watched = new Map<string, WatchEntry>()
  /** Channels left subscribed while the connection was down, unsubscribed once it is back. */
  private readonly leftOver = new Map<string, (message: string) => void>()
  private connecting: Promise<void> | undefined
  private wasReady = false
  private closed = false

  constructor (options: JobEventHubOptions) {
    this.subscriber = options.subscriber
    this.reader = options.reader
    this.keys = options.keys
    this.logger = options.logger
    this.subscriber.on('ready', () => {
      if (this.wasReady) {
        this.dropLeftOver()
        this.refreshAll(0)
      }
      this.wasReady = true
    })
  }

  /** Connects the subscriber (once; later calls share the first call's promise). */
  connect (): Promise<void> {
    this.connecting ??= this.subscriber.connect().then(() => undefined)
    return this.connecting
  }

  /** How many jobs are watched now. */
  get size (): number {
    return this.watched.size
  }

  /** A job's current state, read from its record; null when there is no such job. */
  async current (id: string): Promise<JobEvent | null> {
    const values = await readJobFields(this.reader, this.keys, id, [...EVENT_FIELDS, 'seq'])
    return toEvent(id, values[EVENT_FIELDS.length], Object.fromEntries(EVENT_FIELDS.map((field, i) => [field, values[i]])))
  }

  /**
   * Calls `listener` with each state job `id` is announced in from now on. Resolves once Redis has
   * confirmed the subscription (read the current state only then); returns the function that stops
   * watching. Rejects when Redis is unavailable.
   */
  async watch (id: string, listener: JobEventListener): Promise<() => void> {
    if (this.closed) throw new Error('the job event hub is closed')
    let entry = this.watched.get(id)
    if (entry === undefined) {
      const handler = (message: string): void => {
        const event = this.parse(id, message)
        if (event !== null) this.dispatch(id, event)
      }
      const subscribed = this.subscriber.subscribe(this.keys.jobs.events(id), handler)
      entry = { listeners: new Set(), subscribed, handler }
      this.watched.set(id, entry)
      subscribed.catch(() => { if (this.watched.get(id) === entry) this.watched.delete(id) })
    }
    entry.listeners.add(listener)
    const current = entry
    try {
      await current.subscribed
    } catch (err) {
      current.listeners.delete(listener)
      throw err
    }
    return () => { this.unwatch(id, current, listener) }
  }

  private unwatch (id: string, entry: WatchEntry, listener: JobEventListener): void {
    entry.listeners.delete(listener)
    if (entry.listeners.size > 0 || this.watched.get(id) !== entry) return
    this.watched.delete(id)
    this.unsubscribe(id, entry.handler)
  }

  /** Drops one handler of a job's channel (others, of a newer watch, stay); retried after a reconnect when Redis is away. */
  private unsubscribe (id: string, handler: (message: string) => void): void {
    if (!this.subscriber.isReady) {
      this.leftOver.set(id, handler)
      return
    }
    this.subscriber.unsubscribe(this.keys.jobs.events(id), handler).catch((err: unknown) => {
      this.logger?.debug({ err, jobId: id }, 'unsubscribe failed; retried after a reconnect')
      this.leftOver.set(id, handler)
    })
  }

  private dropLeftOver (): void {
    const left = [...this.leftOver]
    this.leftOver.clear()
    for (const [id, handler] of left) this.unsubscribe(id, handler)
  }

  private parse (id: string, message: string): JobEvent | null {
    try {
      const fields = JSON.parse(message) as Record<string, string | number>
      return toEvent(id, fields['seq'], Object.fromEntries(EVENT_FIELDS.map((field) => [field, fields[field] === undefined ? null : String(fields[field])])))
    } catch (err) {
      this.logger?.warn({ err, jobId: id }, 'unreadable job event')
      return null
    }
  }

  private dispatch (id: string, event: JobEvent | null): void {
    for (const listener of this.watched.get(id)?.listeners ?? []) listener(event)
  }

  /** Re-reads every watched job after a reconnect; tries again a few times while the reader is down. */
  private refreshAll (attempt: number): void {
    if (this.closed || this.watched.size === 0) return
    const ids = [...this.watched.keys()]
    Promise.all(ids.map(async (id) => { this.dispatch(id, await this.current(id)) })).catch((err: unknown) => {
      if (attempt >= 30) {
        this.logger?.warn({ err }, 'job events: could not re-read the watched jobs after a reconnect')
        return
      }
      setTimeout(() => { this.refreshAll(attempt + 1) }, 1000).unref()
    })
  }

  /** Stops every watch and closes the subscriber connection. */
  async close (): Promise<void> {
    this.closed = true
    this.watched.clear()
    await closeRedisClient(this.subscriber)
  }
}
