import { PassThrough, type Readable } from 'node:stream'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { createKeys, isFinalEvent, JobEventHub, type Config, type JobEvent } from '@genejobs/jobs-core'

declare module 'fastify' {
  interface FastifyInstance {
    /** The open `GET /jobs/:id/events` streams, fed by one Redis subscriber connection. */
    jobEvents: JobEventStreams
  }
}

/** A comment line sent on every open stream this often, so proxies do not close an idle one. */
const KEEP_ALIVE_MS = 15_000

/** How long an EventSource waits before reconnecting after a stream broke (the SSE `retry:` field). */
const CLIENT_RETRY_MS = 3000

/** One SSE message: `event` (`status` or `progress`), `id` (the job's `seq`), `data` (the state as JSON). */
function sseMessage (name: 'status' | 'progress', event: JobEvent): string {
  return `event: ${name}\nid: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`
}

/**
 * The Server-Sent Events streams of `GET /jobs/:id/events`. Every stream listens on the one
 * `JobEventHub` (one subscriber connection for the whole process); one timer sends the keep-alive
 * comments of all of them. Nothing polls per stream.
 */
export class JobEventStreams {
  private readonly streams = new Set<PassThrough>()
  private readonly timer: NodeJS.Timeout

  constructor (private readonly hub: JobEventHub) {
    this.timer = setInterval(() => { for (const stream of this.streams) stream.write(': keep-alive\n\n') }, KEEP_ALIVE_MS)
    this.timer.unref()
  }

  /** How many streams are open now. */
  get size (): number {
    return this.streams.size
  }

  /** Connects the hub's subscriber. */
  async connect (): Promise<void> {
    await this.hub.connect()
  }

  /**
   * Opens the event stream of job `id`: its current state first, then one message per change, and
   * the stream ends after a complete or failed state (at once for a finished job), or when the job
   * is gone. Subscribes before it reads, and drops what the read already covered (`seq`). Resolves
   * null for an unknown job; rejects when Redis is unavailable.
   */
  async open (id: string, log: FastifyBaseLogger): Promise<Readable | null> {
    const stream = new PassThrough()
    let last: JobEvent | undefined
    let early: Array<JobEvent | null> | undefined = []
    const send = (event: JobEvent | null): void => {
      if (stream.writableEnded || stream.destroyed) return
      if (event === null) {
        log.info({ jobId: id }, 'job events: the job is gone; ending the stream')
        stream.end()
        return
      }
      if (last !== undefined && event.seq <= last.seq) return
      const onlyProgress = last !== undefined && last.status === event.status && last.attempts === event.attempts && last.progress !== event.progress
      last = event
      stream.write(sseMessage(onlyProgress ? 'progress' : 'status', event))
      if (isFinalEvent(event)) stream.end()
    }
    const unwatch = await this.hub.watch(id, (event) => {
      if (early !== undefined) early.push(event)
      else send(event)
    })
    let current: JobEvent | null
    try {
      current = await this.hub.current(id)
    } catch (err) {
      unwatch()
      throw err
    }
    if (current === null) {
      unwatch()
      return null
    }
    stream.write(`retry: ${CLIENT_RETRY_MS}\n\n`)
    send(current)
    for (const event of early) send(event)
    early = undefined
    if (stream.writableEnded) {
      unwatch()
      return stream
    }
    this.streams.add(stream)
    stream.once('close', () => {
      unwatch()
      this.streams.delete(stream)
    })
    return stream
  }

  /** Ends every open stream (the server is closing) and closes the subscriber. */
  async close (): Promise<void> {
    clearInterval(this.timer)
    for (const stream of this.streams) stream.end()
    this.streams.clear()
    await this.hub.close()
  }
}

/**
 * Decorates the app with `jobEvents`: a subscriber connection of its own (a `Stores.duplicate`
 * client: a subscribed connection takes no other commands) and the streams fed from it. Like the
 * stores, it does not wait for Redis: streams answer 503 until the subscriber is connected. Open
 * streams end before the server closes (`preClose`), so they never hold the shutdown up.
 */
export default fp<{ config: Config }>(async function jobEventsPlugin (app: FastifyInstance, { config }) {
  const hub = new JobEventHub({
    subscriber: app.stores.duplicate('jobs', 'api-events'),
    reader: app.stores.jobs,
    keys: createKeys(config.keyPrefix),
    logger: app.log
  })
  const streams = new JobEventStreams(hub)
  app.decorate('jobEvents', streams)
  streams.connect().catch((err: unknown) => app.log.error({ err }, 'job events: redis subscriber connection failed'))
  app.addHook('preClose', async () => { await streams.close() })
}, { name: 'genejobs-job-events', dependencies: ['genejobs-stores'] })
