import { isRedisUnavailable, type JobQueue, type Logger } from '@genejobs/jobs-core'

/** What a worker's upkeep needs: its queue, its id, its logger, and whom to tell of re-queued jobs. */
export interface UpkeepOptions {
  queue: JobQueue
  workerId: string
  logger: Logger
  /** Told how many jobs of dead workers a reaper round put back on the queue. */
  onRequeued: (count: number) => void
}

/**
 * A worker's heartbeat and reaper rounds, three per stall period each (at least 250 ms apart):
 * the heartbeat keeps its jobs its own, the reaper re-queues the jobs of workers found dead.
 */
export class WorkerUpkeep {
  private readonly timers: NodeJS.Timeout[] = []

  constructor (private readonly options: UpkeepOptions) {}

  /** Sends the first heartbeat (resolves once Redis has it), then starts both rounds. */
  async start (): Promise<void> {
    await this.beat()
    const every = Math.max(250, Math.floor(this.options.queue.policy.stalledAfterMs / 3))
    this.timers.push(setInterval(() => { this.beat().catch(() => {}) }, every))
    // Reapers of many workers need not run in step: start each at a random offset.
    const reaperStart = setTimeout(() => {
      this.reap().catch(() => {})
      this.timers.push(setInterval(() => { this.reap().catch(() => {}) }, every))
    }, Math.floor(Math.random() * every))
    this.timers.push(reaperStart)
  }

  /** Stops both rounds (the caller then unregisters the worker). */
  stop (): void {
    for (const timer of this.timers) clearInterval(timer)
  }

  private async beat (): Promise<void> {
    try {
      await this.options.queue.heartbeat(this.options.workerId)
    } catch (err) {
      this.options.logger.warn({ err, worker: this.options.workerId }, 'heartbeat failed')
      throw err
    }
  }

  private async reap (): Promise<void> {
    try {
      const requeued = await this.options.queue.reap()
      if (requeued.length > 0) {
        this.options.onRequeued(requeued.length)
        this.options.logger.warn({ jobIds: requeued, worker: this.options.workerId }, 're-queued the jobs of a dead worker')
      }
    } catch (err) {
      if (!isRedisUnavailable(err)) this.options.logger.error({ err }, 'reaper failed')
    }
  }
}
