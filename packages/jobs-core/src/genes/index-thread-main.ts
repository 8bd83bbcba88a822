/**
 * The index thread (see `IndexThread`): checks and indexes the batches it is handed
 * (`BatchIndexer`), answering each with its ids and projection members; at the end, answers with
 * the commands that write the indexes.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { isGenejobsError } from '../errors.js'
import { BatchIndexer } from './batch-indexer.js'
import type { FromIndexThread, IndexThreadData, ToIndexThread } from './index-thread.js'

const port = parentPort
if (port === null) throw new Error('index-thread-main runs as a worker thread')
const { keys } = workerData as IndexThreadData
const indexer = new BatchIndexer(keys)

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
