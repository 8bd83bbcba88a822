// A load large enough to build its indexes on the worker thread (more than one 2,000-record batch),
// on a local 3-master Redis Cluster: every raw command the load writes (record batches, index
// commands) must go to the master of its key, and the version must read back whole.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { startRedisCluster, writeSyntheticHgnc } from '@genejobs/test-support'
import { createKeys, createStores, loadConfig } from '../../src/index.js'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource } from '../../src/hgnc/hgnc-reader.js'

const GENES = 5000

t.test('a threaded load on a Redis Cluster: every record and index readable', async (t) => {
  const cluster = await startRedisCluster({ masters: 3 })
  t.teardown(async () => { await cluster.stop() })
  const dir = await mkdtemp(join(tmpdir(), 'genejobs-cluster-load-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  const source = join(dir, 'genes.json.gz')
  await writeSyntheticHgnc(source, GENES)

  const config = loadConfig({ LOG_LEVEL: 'silent', ...cluster.env })
  const stores = createStores(config.redis, config.databases, 'test')
  await stores.connect()
  t.teardown(async () => { await stores.close() })
  const store = new GeneStore({ client: stores.genes, keys: createKeys(config.keyPrefix) })

  const summary = await store.load(readHgncSource(source), source)
  t.equal(summary.loaded, GENES)
  const sourced: string[] = []
  for await (const record of readHgncSource(source)) sourced.push(record.raw)
  const stored: string[] = []
  for await (const batch of store.streamRecords(2000)) stored.push(...batch)
  t.equal(stored.length, GENES)
  t.equal(stored.findIndex((raw, i) => raw !== sourced[i]), -1, 'every record byte for byte')
  const last = JSON.parse(sourced[GENES - 1] as string) as { hgnc_id: string, symbol: string }
  t.equal(await store.get(last.hgnc_id), sourced[GENES - 1], 'the last record by id')
  const found = await store.fetch('symbol', last.symbol)
  t.ok(JSON.stringify(found).includes(last.hgnc_id), `the symbol index finds ${last.symbol}: ${JSON.stringify(found).slice(0, 200)}`)
})
