/**
 * The index thread (see `IndexThread`): parses the records' JSON text it is handed and builds the
 * symbol, search and field indexes; at the end, answers with the commands that write them.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { parseHgncId } from '../hgnc/gene-id.js'
import type { HgncDoc } from '../hgnc/json-records.js'
import { VersionIndexes, type FromIndexThread, type IndexKeys, type ToIndexThread } from './index-thread.js'

const port = parentPort
if (port === null) throw new Error('index-thread-main runs as a worker thread')
const indexes = new VersionIndexes(workerData as IndexKeys)

port.on('message', (message: ToIndexThread) => {
  if ('records' in message) {
    // The loader has checked every record (valid JSON, hgnc_id, symbol) before handing it over.
    for (const raw of message.records) {
      const doc = JSON.parse(raw) as HgncDoc
      indexes.add(parseHgncId(doc.hgnc_id), doc)
    }
    port.postMessage({ indexed: true } satisfies FromIndexThread)
    return
  }
  for (const command of indexes.commands()) port.postMessage({ command } satisfies FromIndexThread)
  port.postMessage({ done: true } satisfies FromIndexThread)
})
