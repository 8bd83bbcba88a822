import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readHgncSource } from '@genejobs/jobs-core'
import { fixturePath, waitFor } from '@genejobs/test-support'
import { buildApp } from '../../src/app.js'
import { buildTestApp } from '../helper.js'

// Two API processes on one Redis: A loads and deletes, B serves gene reads from its in-process cache.
const { app: a, redis } = await buildTestApp(t)
const b = await buildApp({ config: redis.config })
t.teardown(async () => { await b.close() })
await b.ready()
await waitFor(() => b.stores.isReady(), { what: 'the second API to connect to redis' })

/** A copy of the JSON fixture with A1BG (HGNC:5) renamed, as a newer HGNC release might have it. */
function renamedFixture (name: string): string {
  const data = JSON.parse(readFileSync(fixturePath('genes.json'), 'utf8')) as { response: { docs: Array<Record<string, unknown>> } }
  for (const doc of data.response.docs) if (doc['hgnc_id'] === 'HGNC:5') doc['name'] = name
  const path = join(mkdtempSync(join(tmpdir(), 'genejobs-cache-')), 'genes.json')
  writeFileSync(path, JSON.stringify(data))
  return path
}

/** Asks B for `url` until `accept` holds or 100 ms have passed; returns the last answer. */
async function readWithin100ms (url: string, accept: (res: { statusCode: number, body: string }) => boolean): Promise<{ statusCode: number, body: string }> {
  const deadline = Date.now() + 100
  let res = await b.inject({ method: 'GET', url })
  while (!accept(res) && Date.now() < deadline) res = await b.inject({ method: 'GET', url })
  return res
}

t.test('a record is served from memory, and never stale after another process loads or deletes', async (t) => {
  const cache = b.stores.cachedGenes
  if (cache === undefined) throw new Error('the API was built without a gene cache (GENE_CACHE_ENTRIES)')
  const load = await a.inject({ method: 'POST', url: '/data' })
  t.equal(load.json().loaded, 8, load.body)
  const first = await b.inject({ method: 'GET', url: '/genes/HGNC:5' })
  t.equal(JSON.parse(first.body).name, 'alpha-1-B glycoprotein')
  t.ok(cache.cachedReplies() >= 2, `B cached the version pointer and the record (${cache.cachedReplies()} replies)`)
  const again = await b.inject({ method: 'GET', url: '/genes/HGNC:5' })
  t.equal(again.body, first.body, 'a repeat read gives the same bytes')

  const source = renamedFixture('renamed by a newer release')
  await a.genes.load(readHgncSource(source), source)
  const afterLoad = await readWithin100ms('/genes/HGNC:5', (res) => JSON.parse(res.body).name === 'renamed by a newer release')
  t.equal(JSON.parse(afterLoad.body).name, 'renamed by a newer release', 'within 100 ms of the load, B serves the new version')
  t.equal(afterLoad.body, await a.genes.get('HGNC:5'), 'byte for byte what Redis holds')

  await a.genes.deleteAll()
  const afterDelete = await readWithin100ms('/genes/HGNC:5', (res) => res.statusCode !== 200)
  t.equal(afterDelete.statusCode, 404, `within 100 ms of the delete, B serves no record (got ${afterDelete.body.slice(0, 80)})`)
  t.match(JSON.parse(afterDelete.body).message, /no gene data is loaded/)
})

t.test('the data version a process names (each result\'s provenance) follows another process\'s load or delete within 100 ms', async (t) => {
  /** Asks B for the current version until `accept` holds or 100 ms have passed; returns the last answer. */
  const versionWithin100ms = async (accept: (version: string | undefined) => boolean) => {
    const deadline = Date.now() + 100
    let version = (await b.genes.info())?.version
    while (!accept(version) && Date.now() < deadline) version = (await b.genes.info())?.version
    return version
  }
  const first = await a.genes.load(readHgncSource(fixturePath('genes.json')), 'first')
  t.equal(await versionWithin100ms((version) => version === first.version), first.version)
  t.equal((await b.genes.info())?.version, first.version, 'asked again: the same, from memory')
  const second = await a.genes.load(readHgncSource(fixturePath('genes.json')), 'second')
  t.equal(await versionWithin100ms((version) => version === second.version), second.version, 'the new version')
  t.match(await b.genes.info(), { version: second.version, source: 'second', genes: 8 })
  await a.genes.deleteAll()
  t.equal(await versionWithin100ms((version) => version === undefined), undefined, 'nothing after the delete')
  t.equal(await b.genes.info(), null, 'asked again: still nothing')
  const third = await a.genes.load(readHgncSource(fixturePath('genes.json')), 'third')
  t.equal(await versionWithin100ms((version) => version === third.version), third.version, 'and a load after nothing')
})

t.test('the cache is bounded by GENE_CACHE_ENTRIES', async (t) => {
  const small = await buildApp({ config: { ...redis.config, api: { ...redis.config.api, geneCacheEntries: 3 } } })
  t.teardown(async () => { await small.close() })
  await small.ready()
  await waitFor(() => small.stores.isReady(), { what: 'the small-cache API to connect to redis' })
  t.equal((await a.inject({ method: 'POST', url: '/data' })).json().loaded, 8)
  for (const id of ['HGNC:5', 'HGNC:1', 'HGNC:7', 'HGNC:8', 'HGNC:1100']) {
    t.equal((await small.inject({ method: 'GET', url: `/genes/${id}` })).statusCode, 200, id)
  }
  t.ok((small.stores.cachedGenes?.cachedReplies() ?? Infinity) <= 3, `at most 3 replies kept (${small.stores.cachedGenes?.cachedReplies()})`)
})

t.test('the data version a process reports follows loads and deletes made elsewhere', async (t) => {
  const info = async (app: typeof a) => await app.inject({ method: 'GET', url: '/data/info' })
  t.equal((await a.inject({ method: 'POST', url: '/data' })).json().loaded, 8)
  const first = await info(b)
  t.same(first.json(), (await info(a)).json(), 'B names the version A loaded')
  t.same((await info(b)).json(), first.json(), 'and names it again from memory')
  const source = renamedFixture('renamed again')
  await a.genes.load(readHgncSource(source), source)
  const second = await readWithin100ms('/data/info', (res) => res.statusCode === 200 && JSON.parse(res.body).version !== first.json().version)
  t.same(JSON.parse(second.body), (await info(a)).json(), 'within 100 ms of a load elsewhere, B names the new version')
  await a.genes.deleteAll()
  const gone = await readWithin100ms('/data/info', (res) => res.statusCode !== 200)
  t.equal(gone.statusCode, 404, `within 100 ms of a delete elsewhere, B says no data is loaded (${gone.body.slice(0, 80)})`)
})

t.test('a lost cache connection forgets every record read before it, decoded ones too', async (t) => {
  t.equal((await a.inject({ method: 'POST', url: '/data' })).json().loaded, 8)
  const before = await b.inject({ method: 'GET', url: '/genes/HGNC:5' })
  t.equal(JSON.parse(before.body).name, 'alpha-1-B glycoprotein')
  t.equal((await b.inject({ method: 'GET', url: '/genes/HGNC:5' })).body, before.body, 'served again from memory')
  // Kill the caching connections (A's and B's), then load a renamed set while they reconnect:
  // Redis tracked nothing for the new connections, so only forgetting on the lost connection keeps B true.
  const clients = String(await a.stores.genes.sendCommand(['CLIENT', 'LIST'])).split('\n')
  const cached = clients.filter((line) => / name=\S*-cached /.test(line)).map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1] ?? '')
  t.ok(cached.length >= 2, `found the caching connections (${cached.length})`)
  for (const id of cached) await a.stores.genes.sendCommand(['CLIENT', 'KILL', 'ID', id])
  const source = renamedFixture('renamed while B was reconnecting')
  await a.genes.load(readHgncSource(source), source)
  await waitFor(async () => {
    const res = await b.inject({ method: 'GET', url: '/genes/HGNC:5' })
    if (res.statusCode === 200 && JSON.parse(res.body).name === 'renamed while B was reconnecting') return true
    throw new Error(`B answered ${res.statusCode} ${res.body.slice(0, 120)}`)
  }, { timeoutMs: 10_000, what: 'B to serve the renamed record after reconnecting' })
  t.pass('B serves the record loaded while its cache connection was down')
})
