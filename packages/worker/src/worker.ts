import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  GeneStore, JobQueue, UnrecoverableError, closeRedisClient, isGenejobsError, isRedisUnavailable, reconnectDelay,
  type Claim, type CompletionOutcome, type Job, type RedisClient, type ResultForms
} from '@genejobs/jobs-core'
import { runAnalysis, withProvenance } from '@genejobs/analyses'
import type { WorkerOptions, WorkerStats } from './options.js'
import { WorkerUpkeep } from './upkeep.js'

export type { WorkerOptions, WorkerStats } from './options.js'

/** Progress is written at most this often per job. */
const PROGRESS_INTERVAL_MS = 200

/**
 * Takes job ids off the queue and runs their analyses, `concurrency` at a time, with a heartbeat
 * that keeps its jobs its own and a reaper that re-queues the jobs of dead workers. `close()`
 * stops taking jobs, finishes the ones in hand, and is safe to call twice.
 */
export class Worker {
  readonly id: string
  readonly stats: WorkerStats = { completed: 0, failed: 0, retried: 0, stale: 0, requeuedFromDeadWorkers: 0 }
  private readonly options: WorkerOptions
  private readonly queue: JobQueue
  private readonly genes: GeneStore
  /** The worker's own connection for BLMOVE, which blocks it for other commands. */
  private readonly blockingClient: RedisClient
  private readonly running = new Map<string, Promise<void>>()
  /** Jobs in `running` whose result is being stored: their slot is free (the next claim goes out beside the completion). */
  private readonly finishing = new Set<string>()
  private readonly upkeep: WorkerUpkeep
  private closing: Promise<void> | undefined
  private closeDeadlinePassed = false
  private stopped = false
  private loop: Promise<void> | undefined
  /** Ids moved to our processing list whose claim did not get through; claimed on the next round. */
  private movedButUnclaimed: string[] = []
  /** Our list may hold ids nothing runs: a claim's reply was lost after Redis acted on it, or an
   *  attempt ended stale (its reaper may have died before moving the id). Cleared once adopted. */
  private orphansSuspected = false
  private wakeUp: (() => void) | undefined
  /** The last claim sent with completions (see flushCompletions); it never rejects. */
  private claimsInFlight: Promise<void> | undefined
  /** Results waiting to be stored; flushed together once per event-loop turn. */
  private completions: Array<{ claim: Claim, result: ResultForms, run: Promise<void> | undefined, settle: (outcome: CompletionOutcome | Error) => void }> = []

  constructor (options: WorkerOptions) {
    this.options = options
    this.id = options.id ?? `${process.pid}-${randomUUID().slice(0, 8)}`
    const { stores, keys } = options
    this.queue = new JobQueue({ stores, keys, policy: options.policy })
    this.blockingClient = stores.duplicate('queue', `worker-${this.id}-blocking`)
    this.upkeep = new WorkerUpkeep({
      queue: this.queue,
      workerId: this.id,
      logger: options.logger,
      onRequeued: (count) => { this.stats.requeuedFromDeadWorkers += count; options.metrics?.requeued(count) }
    })
    this.genes = new GeneStore({ client: stores.genes, keys, logger: options.logger, cacheSummaries: true, ...(stores.cachedGenes !== undefined ? { cachedReads: stores.cachedGenes } : {}) })
  }

  /** Starts the heartbeat, the reaper and the job loop. Resolves once the first heartbeat is sent. */
  async start (): Promise<void> {
    await this.blockingClient.connect()
    await this.upkeep.start()
    this.loop = this.runLoop()
    this.options.logger.info({ worker: this.id, concurrency: this.options.concurrency, analyses: [...this.options.analyses.keys()] }, 'worker started')
  }

  private async runLoop (): Promise<void> {
    let failures = 0
    while (!this.stopped) {
      if (this.orphansSuspected) {
        try {
          this.orphansSuspected = false
          await this.adoptOrphans()
        } catch {
          this.orphansSuspected = true
          await sleep(reconnectDelay(failures++))
          continue
        }
      }
      const free = this.freeSlots
      if (free <= 0) {
        await new Promise<void>((resolve) => { this.wakeUp = resolve })
        // Woken to claim on its own (see flushCompletions): let the other jobs finishing in this
        // turn free their slots too, so that one claim takes several.
        if (this.options.concurrency > 1) await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      try {
        let claimed = await this.queue.claim(this.id, free - this.movedButUnclaimed.length, this.movedButUnclaimed)
        this.movedButUnclaimed = []
        if (claimed.length === 0) {
          const moved = await this.queue.waitForJob(this.blockingClient, this.id, this.options.blockSeconds ?? 1)
          if (moved === null) continue
          this.movedButUnclaimed = [moved]
          claimed = await this.queue.claim(this.id, free - 1, this.movedButUnclaimed)
          this.movedButUnclaimed = []
          if (!claimed.some((job) => job.id === moved)) {
            // The claim is fenced: after a freeze the reaper may have given the job to another worker.
            this.options.logger.warn({ worker: this.id, jobId: moved }, 'a job handed over while this worker was unresponsive belongs to another worker now; left to it')
          }
        }
        for (const job of claimed) this.track(job)
        failures = 0
      } catch (err) {
        if (this.stopped) break
        if (!isRedisUnavailable(err)) this.options.logger.error({ err }, 'taking jobs failed')
        this.orphansSuspected = true
        await sleep(reconnectDelay(failures++))
      }
    }
  }

  private async adoptOrphans (): Promise<void> {
    const held = await this.queue.processing(this.id)
    const orphans = held.filter((id) => !this.running.has(id) && !this.movedButUnclaimed.includes(id))
    if (orphans.length === 0) return
    this.options.logger.warn({ worker: this.id, jobIds: orphans }, 'adopting jobs in our processing list that nothing runs (a lost claim reply, or a reaper that stopped half-way)')
    this.movedButUnclaimed.push(...orphans)
  }

  private track (job: Job): void {
    const run: Promise<void> = this.process(job).finally(() => {
      // A job whose result was stored gave its slot up then (flushCompletions wakes the loop unless
      // the claim sent with the result refilled it); one that ended otherwise frees it here.
      if (this.release(job.id, run)) this.wake()
    })
    this.running.set(job.id, run)
  }

  /** Frees the slot of `run`, unless it is free already or the id was claimed and tracked again; says whether it did. */
  private release (id: string, run: Promise<void> | undefined): boolean {
    if (run === undefined || this.running.get(id) !== run) return false
    this.running.delete(id)
    this.finishing.delete(id)
    return true
  }

  private wake (): void {
    this.wakeUp?.()
    this.wakeUp = undefined
  }

  private async process (job: Job): Promise<void> {
    const log = this.options.logger.child({ jobId: job.id, analysis: job.analysis, attempt: job.attempts })
    const started = performance.now()
    log.info('job started')
    let lastProgressAt = 0
    const progress = async (percent: number) => {
      const now = Date.now()
      if (now - lastProgressAt < PROGRESS_INTERVAL_MS && percent < 100) return
      lastProgressAt = now
      await this.queue.setProgress(job, this.id, percent).catch((err: unknown) => { log.debug({ err }, 'progress not saved') })
    }
    try {
      const analysis = this.options.analyses.get(job.analysis)
      if (analysis === undefined) throw new UnrecoverableError(`unknown analysis "${job.analysis}"`)
      // The version is read before the analysis reads any gene, so the result names the one it started on.
      const data = await this.genes.info()
      const result = withProvenance(await runAnalysis(analysis, job.input ?? job.params, { genes: this.genes, log, progress, ...(this.options.countRun !== undefined ? { countRun: this.options.countRun } : {}) }), data)
      // Only the result is stored (its chart as a Vega-Lite spec): the API draws the SVG, PNG, CSV
      // and TSV when someone first asks for them, so results nobody looks at cost no drawing.
      const outcome = await this.completeSoon(job, { json: JSON.stringify(result) })
      const ms = Math.round(performance.now() - started)
      // `completed before`: an earlier send of this completion landed, its reply did not.
      const done = outcome !== 'stale'
      this.options.metrics?.attempt({ analysis: job.analysis, outcome: done ? 'complete' : 'stale', seconds: ms / 1000 })
      if (done) {
        this.stats.completed++
        log.info({ ms, outcome: 'complete', ...(outcome === 'completed before' ? { sentAgain: true } : {}) }, 'job finished')
      } else {
        this.stats.stale++
        this.orphansSuspected = true
        log.warn({ ms, outcome: 'stale' }, 'job finished, but another worker had taken it over; result dropped')
      }
    } catch (err) {
      const ms = Math.round(performance.now() - started)
      const retryable = !isGenejobsError(err, 'UNRECOVERABLE')
      const message = err instanceof Error ? err.message : String(err)
      const outcome = await this.untilRedisAnswers(async () => await this.queue.finishWithError(job, this.id, message, retryable))
      this.options.metrics?.attempt({ analysis: job.analysis, outcome, seconds: ms / 1000 })
      if (outcome === 'retry') this.stats.retried++
      else if (outcome === 'failed') this.stats.failed++
      else { this.stats.stale++; this.orphansSuspected = true }
      log[outcome === 'failed' ? 'error' : 'warn']({ err, ms, outcome }, outcome === 'retry' ? 'job attempt failed; it will be retried' : 'job failed')
    }
  }

  /**
   * Completes a job together with the others finishing in the same event-loop turn: one script
   * call for all of them instead of one each. Resolves with what the completion came to.
   */
  private async completeSoon (claim: Claim, result: ResultForms): Promise<CompletionOutcome> {
    this.finishing.add(claim.id)
    const outcome = await new Promise<CompletionOutcome | Error>((resolve) => {
      if (this.completions.push({ claim, result, run: this.running.get(claim.id), settle: resolve }) > 1) return
      // With one job at a time there is nothing to wait for.
      if (this.options.concurrency === 1) this.flushCompletions()
      else setImmediate(() => { this.flushCompletions() })
    })
    if (outcome instanceof Error) throw outcome
    return outcome
  }

  /**
   * Stores a batch of results. While the loop waits for a free slot, the claim for the slots the
   * batch frees rides with it (one script and one round trip on a single Redis); otherwise the loop
   * is woken to claim on its own.
   */
  private flushCompletions (): void {
    const batch = this.completions
    this.completions = []
    const settle = (outcomes: CompletionOutcome[]): void => {
      batch.forEach((entry, i) => {
        // Its result is stored (or dropped): the job holds no slot from now on, whatever runs first.
        this.release(entry.claim.id, entry.run)
        entry.settle(outcomes[i] ?? 'stale')
      })
    }
    const fail = (err: unknown): void => { batch.forEach((entry) => { entry.settle(err instanceof Error ? err : new Error(String(err))) }) }
    // Stored alone, the batch frees its slots for the loop to claim.
    const completeAlone = (): void => { this.untilRedisAnswers(async () => await this.queue.completeEach(this.id, batch)).then((outcomes) => { settle(outcomes); this.wake() }, fail) }
    const free = this.freeSlots
    if (this.wakeUp === undefined || this.stopped || this.orphansSuspected || this.movedButUnclaimed.length > 0 || free <= 0) {
      this.wake()
      completeAlone()
      return
    }
    this.claimsInFlight = this.queue.completeEachAndClaim(this.id, batch, free).then(({ outcomes, started }) => {
      settle(outcomes) // first: a job claimed again in this very claim is tracked afresh
      for (const job of started) this.track(job)
      if (started.length < free) this.wake() // the queue ran dry: the loop waits on it
    }, (err: unknown) => {
      // The claim's reply may be lost after Redis acted on it: the loop checks our list.
      if (!isRedisUnavailable(err)) this.options.logger.error({ err }, 'storing results and taking jobs failed')
      this.orphansSuspected = true
      this.wake()
      completeAlone()
    })
  }

  /**
   * Runs a finishing step until Redis takes it: a result computed during an outage is stored when
   * Redis is back rather than lost. Gives up only when the worker is shut down.
   */
  private async untilRedisAnswers<T> (step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step()
      } catch (err) {
        if (!isRedisUnavailable(err) || (this.stopped && this.closeDeadlinePassed)) throw err
        await sleep(reconnectDelay(attempt))
      }
    }
  }

  /** How many more jobs to claim now: up to the concurrency, with at most as many again finishing. */
  private get freeSlots (): number {
    return Math.min(this.options.concurrency - this.active, 2 * this.options.concurrency - this.running.size)
  }

  /** How many jobs are running now (their analysis; not those whose result is being stored). */
  get active (): number {
    return this.running.size - this.finishing.size
  }

  /**
   * Stops taking jobs, waits up to `shutdownTimeoutMs` for the jobs in hand, then stops the
   * heartbeat and leaves the worker set. Jobs still running after that go back on the queue at
   * once, for another worker (their claims are stale from then on). Returns the same promise when
   * called again.
   */
  close (): Promise<void> {
    this.closing ??= (async () => {
      this.stopped = true
      this.wake()
      this.options.logger.info({ worker: this.id, running: this.running.size }, 'worker stopping: finishing the jobs in hand')
      await this.loop
      await this.claimsInFlight // jobs a completion's claim took are in hand too
      const inHand = Promise.all(this.running.values())
      const timeout = sleep(this.options.shutdownTimeoutMs, 'timeout' as const)
      const outcome = await Promise.race([inHand.then(() => 'done' as const), timeout])
      if (outcome === 'timeout') {
        this.closeDeadlinePassed = true
        this.options.logger.warn({ worker: this.id, abandoned: [...this.running.keys()] }, 'shutdown timeout: putting unfinished jobs back on the queue')
      }
      this.upkeep.stop()
      await this.queue.unregister(this.id).then((ids) => { this.options.metrics?.requeued(ids.length) }).catch(() => {})
      await closeRedisClient(this.blockingClient)
      this.options.logger.info({ worker: this.id, ...this.stats }, 'worker stopped')
    })()
    return this.closing
  }
}
