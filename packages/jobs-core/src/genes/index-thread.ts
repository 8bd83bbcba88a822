import { Worker } from 'node:worker_threads'
import { GenejobsError, type ErrorCode } from '../errors.js'
import { BatchIndexer, type IndexedBatch, type SourceBatch } from './batch-indexer.js'
import type { CommandArgs } from './index-commands.js'
import type { IndexKeys } from './version-indexes.js'

/** What the index thread is started with: the keys its indexes go to. */
export interface IndexThreadData {
  keys: IndexKeys
}

/** Checks and indexes a load's batches (`BatchIndexer`): on this thread or on another. */
export interface IndexBuilder {
  /** Checks and indexes a batch; resolves with its ids and projection members (in order of `add`). */
  add: (batch: SourceBatch) => Promise<IndexedBatch>
  /** Ends the batches; hands every command that writes the indexes to `send`, then resolves. */
  finish: (send: (command: CommandArgs) => void) => Promise<void>
  /** Releases what the builder holds, in every case. */
  close: () => Promise<void>
}

/** Indexes on the load's own thread: for small loads, where starting a thread costs more. */
export class InlineIndexes implements IndexBuilder {
  private readonly indexer: BatchIndexer

  constructor (keys: IndexKeys) {
    this.indexer = new BatchIndexer(keys)
  }

  async add (batch: SourceBatch): Promise<IndexedBatch> {
    return this.indexer.add(batch)
  }

  async finish (send: (command: CommandArgs) => void): Promise<void> {
    for (const command of this.indexer.commands()) send(command)
  }

  async close (): Promise<void> {}
}

/** A message to the index thread: a batch, or the end of the batches. */
export type ToIndexThread = { batch: SourceBatch } | { end: true }

/**
 * A message from the index thread: a batch's result, a `GenejobsError` (the source is wrong), one
 * of the commands writing the indexes (sent one by one, so the first are written while the rest
 * are built), or the last was sent.
 */
export type FromIndexThread = { indexed: IndexedBatch } | { error: { code: ErrorCode, message: string } } | { command: CommandArgs } | { done: true }

/**
 * The thread's entry point, built beside this file. From `src/` (tests running the sources) it is
 * read from `dist/` as built: `../../dist/genes/` names the built folder from both.
 */
const ENTRY = new URL('../../dist/genes/index-thread-main.js', import.meta.url)

/**
 * Checks and indexes a load's batches on a second core (`BatchIndexer`) while the load's own
 * thread reads the source and encodes and writes the records: batches go over as the text they
 * were read as and are parsed there, and the finished indexes come back as the commands that
 * write them. Close it in every case.
 */
export class IndexThread implements IndexBuilder {
  private readonly worker: Worker
  private readonly finished: Promise<void>
  private readonly waiting: Array<{ resolve: (indexed: IndexedBatch) => void, reject: (err: Error) => void }> = []
  private send: ((command: CommandArgs) => void) | undefined
  private failure: Error | undefined

  constructor (keys: IndexKeys) {
    // A large young generation: the indexes are a million small strings that all survive.
    // No inherited flags: the thread runs the built JavaScript, without a test runner's loaders.
    this.worker = new Worker(ENTRY, { workerData: { keys } satisfies IndexThreadData, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 64 } })
    this.finished = new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        this.failure ??= err
        reject(this.failure)
        for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure)
      }
      this.worker.on('message', (message: FromIndexThread) => {
        if ('indexed' in message) this.waiting.shift()?.resolve(message.indexed)
        else if ('command' in message) this.send?.(message.command)
        else if ('error' in message) fail(new GenejobsError(message.error.code, message.error.message))
        else resolve()
      })
      this.worker.on('error', fail)
      this.worker.on('exit', (code) => { fail(new Error(`the index thread stopped (exit code ${code})`)) })
    })
    this.finished.catch(() => {})
  }

  async add (batch: SourceBatch): Promise<IndexedBatch> {
    if (this.failure !== undefined) throw this.failure
    return await new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      this.worker.postMessage({ batch } satisfies ToIndexThread)
    })
  }

  async finish (send: (command: CommandArgs) => void): Promise<void> {
    if (this.failure !== undefined) throw this.failure
    this.send = send
    this.worker.postMessage({ end: true } satisfies ToIndexThread)
    await this.finished
  }

  /** Stops the thread (at once, whatever it was doing). */
  async close (): Promise<void> {
    await this.worker.terminate()
  }
}
