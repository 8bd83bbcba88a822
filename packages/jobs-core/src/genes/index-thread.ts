import { Worker } from 'node:worker_threads'
import { parseHgncId } from '../hgnc/gene-id.js'
import type { GeneRecord } from '../hgnc/hgnc-reader.js'
import type { HgncDoc } from '../hgnc/json-records.js'
import { FieldIndexBuilder } from './field-index.js'
import type { CommandArgs } from './index-commands.js'
import { SearchIndexBuilder } from './search-index.js'
import { SymbolIndexBuilder } from './symbol-index.js'

/** The keys a version's symbol, search and field indexes go to (plain names: they cross threads). */
export interface IndexKeys {
  symbols: string
  prefixes: string
  words: string
  /** Indexed field -> the key of its index. */
  fields: Record<string, string>
}

/** The symbol, search and field indexes of one version, built record by record. */
export class VersionIndexes {
  private readonly symbols = new SymbolIndexBuilder()
  private readonly fields = new FieldIndexBuilder()
  private readonly search = new SearchIndexBuilder()

  constructor (private readonly keys: IndexKeys) {}

  /** Indexes one gene. */
  add (id: number, doc: HgncDoc): void {
    this.symbols.add(id, doc)
    this.fields.add(id, doc)
    this.search.add(id, doc)
  }

  /** The commands that write every index, built index by index as they are taken. */
  * commands (): Generator<CommandArgs> {
    yield * this.symbols.commands(this.keys.symbols)
    yield * this.search.commands(this.keys.prefixes, this.keys.words)
    for (const field of this.fields.fields()) yield * this.fields.commandsOf(field, this.keys.fields[field] as string)
  }
}

/** Builds a version's indexes from its records, batch by batch: on this thread or on another. */
export interface IndexBuilder {
  /** Indexes a batch of records (may wait while a thread catches up). */
  add: (records: readonly GeneRecord[]) => Promise<void>
  /** Ends the records; hands every command that writes the indexes to `send`, then resolves. */
  finish: (send: (command: CommandArgs) => void) => Promise<void>
  /** Releases what the builder holds, in every case. */
  close: () => Promise<void>
}

/** Builds the indexes on the load's own thread: for small loads, where starting a thread costs more. */
export class InlineIndexes implements IndexBuilder {
  private readonly indexes: VersionIndexes

  constructor (keys: IndexKeys) {
    this.indexes = new VersionIndexes(keys)
  }

  async add (records: readonly GeneRecord[]): Promise<void> {
    for (const { doc } of records) this.indexes.add(parseHgncId(doc.hgnc_id), doc)
  }

  async finish (send: (command: CommandArgs) => void): Promise<void> {
    for (const command of this.indexes.commands()) send(command)
  }

  async close (): Promise<void> {}
}

/** A message to the index thread: a batch of records' JSON text, or the end of the records. */
export type ToIndexThread = { records: string[] } | { end: true }

/**
 * A message from the index thread: a batch was indexed, one of the commands writing the indexes
 * (sent one by one, so the first are written while the rest are built), or the last was sent.
 */
export type FromIndexThread = { indexed: true } | { command: CommandArgs } | { done: true }

/**
 * The thread's entry point, built beside this file. From `src/` (tests running the sources) it is
 * read from `dist/` as built: `../../dist/genes/` names the built folder from both.
 */
const ENTRY = new URL('../../dist/genes/index-thread-main.js', import.meta.url)

/** Batches handed over and not yet indexed, at most: a slower thread holds the load back. */
const MAX_QUEUED_BATCHES = 4

/**
 * Builds a version's symbol, search and field indexes on a second core while the load's own thread
 * reads records and writes them: records go over as the text they were read from (the thread parses
 * them again, which costs less than copying parsed objects), and the finished indexes come back as
 * the commands that write them. Close it in every case.
 */
export class IndexThread implements IndexBuilder {
  private readonly worker: Worker
  private readonly finished: Promise<void>
  private send: ((command: CommandArgs) => void) | undefined
  private queued = 0
  private failure: Error | undefined
  private wake: (() => void) | undefined

  constructor (keys: IndexKeys) {
    // A large young generation: the indexes are a million small strings that all survive.
    // No inherited flags: the thread runs the built JavaScript, without a test runner's loaders.
    this.worker = new Worker(ENTRY, { workerData: keys, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 64 } })
    this.finished = new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        this.failure ??= err
        reject(this.failure)
        this.wake?.()
      }
      this.worker.on('message', (message: FromIndexThread) => {
        if ('command' in message) {
          this.send?.(message.command)
          return
        }
        if ('done' in message) {
          resolve()
          return
        }
        this.queued--
        this.wake?.()
      })
      this.worker.on('error', fail)
      this.worker.on('exit', (code) => { fail(new Error(`the index thread stopped (exit code ${code})`)) })
    })
    this.finished.catch(() => {})
  }

  /** Hands over a batch of records' JSON text; waits while the thread is several batches behind. */
  async add (records: readonly GeneRecord[]): Promise<void> {
    this.check()
    this.worker.postMessage({ records: records.map((record) => record.raw) } satisfies ToIndexThread)
    this.queued++
    while (this.queued > MAX_QUEUED_BATCHES && this.failure === undefined) {
      await new Promise<void>((resolve) => { this.wake = resolve })
    }
    this.check()
  }

  /** Ends the records; hands every command that writes the indexes to `send`, then resolves. */
  async finish (send: (command: CommandArgs) => void): Promise<void> {
    this.check()
    this.send = send
    this.worker.postMessage({ end: true } satisfies ToIndexThread)
    await this.finished
  }

  /** Stops the thread (at once, whatever it was doing). */
  async close (): Promise<void> {
    await this.worker.terminate()
  }

  private check (): void {
    if (this.failure !== undefined) throw this.failure
  }
}
