import t from 'tap'
import { realDataPath, startTestRedis } from '@genejobs/test-support'
import { GeneStore } from '../../src/genes/gene-store.js'
import { readHgncSource } from '../../src/hgnc/hgnc-reader.js'
import { FETCH_FIELDS, FILTER_FIELDS } from '../../src/keys.js'

// Issue 15: one data version, without issue 13's search, fetch and filter indexes, takes at most
// 1.1 times the seed service's 35.7 MB of Redis memory (`used_memory`, as `pnpm bench:load` measures).
const BOUND_BYTES = Math.round(1.1 * 35.7 * 1024 * 1024)

const json = realDataPath('hgnc_complete_set.json.gz')
if ('reason' in json) t.comment(`skipping the real-data memory test: ${json.reason}`)

t.test('one real data version fits the memory bound, and every record reads back exactly as sourced', { skip: 'reason' in json ? json.reason : false }, async (t) => {
  if (!('path' in json)) return
  const redis = await startTestRedis()
  t.teardown(redis.close)
  const client = redis.stores.genes
  const store = new GeneStore({ client, keys: redis.keys })
  const summary = await store.load(readHgncSource(json.path), json.path)
  const sourced: string[] = []
  for await (const record of readHgncSource(json.path)) sourced.push(record.raw)
  const stored: string[] = []
  for await (const batch of store.streamRecords(5000)) stored.push(...batch)
  t.equal(stored.length, sourced.length)
  t.equal(stored.findIndex((raw, i) => raw !== sourced[i]), -1, 'every record byte for byte')
  t.equal(await store.get('HGNC:5'), sourced[0])

  const version = summary.version
  const k = redis.keys.genes
  await client.del([k.prefixes(version), k.words(version), ...[...FETCH_FIELDS, ...FILTER_FIELDS].map((field) => k.fieldIndex(version, field))])
  const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1])
  t.comment(`used_memory with one version, without issue 13's indexes: ${(used / 1048576).toFixed(1)} MB`)
  t.ok(used <= BOUND_BYTES, `${used} <= ${BOUND_BYTES} bytes`)
})
