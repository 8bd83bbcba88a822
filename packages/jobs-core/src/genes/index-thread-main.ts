/**
 * The index thread (see `IndexThread`): checks and indexes the batches it is handed
 * (`BatchIndexer`), answering each with its ids and projection members; at the end, answers with
 * the commands that write the indexes.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { isGenejobsError } from '../errors.js'
import { BatchIndexer } from './batch-indexer.js'
import type { FromIndexThread, ToIndexThread } from './index-thread.js'
import type { IndexKeys } from './version-indexes.js'

const port = parentPort
if (port === null) throw new Error('index-thread-main runs as a worker thread')
const indexer = new BatchIndexer(workerData as IndexKeys)

port.on('message', (message: ToIndexThread) => {
  try {
    if ('batch' in message) {
      port.postMessage({ indexed: indexer.add(message.batch) } satisfies FromIndexThread)
      return
    }
    for (const command of indexer.commands()) port.postMessage({ command } satisfies FromIndexThread)
    port.postMessage({ done: true } satisfies FromIndexThread)
  } catch (err) {
    // A wrong source is answered; anything else ends the thread, which the loader hears as an error.
    if (!isGenejobsError(err)) throw err
    port.postMessage({ error: { code: err.code, message: err.message } } satisfies FromIndexThread)
  }
})
