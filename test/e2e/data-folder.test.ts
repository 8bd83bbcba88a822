// ./data must not grow without bound (issue 11): every reload of the gene set writes a whole new
// version into the append-only file and later drops the old one, so without rewrites the file holds
// every version ever loaded. With the persistence settings `pnpm start` and compose give Redis, ten
// reloads leave the folder under twice Redis' used_memory.
import { readdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'
import { GeneStore, readHgncSource } from '@genejobs/jobs-core'
import { startTestRedis, waitFor, writeSyntheticHgnc } from '@genejobs/test-support'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { REDIS_PERSISTENCE_ARGS } = await import(pathToFileURL(join(root, 'scripts/start/redis.mjs')).href) as { REDIS_PERSISTENCE_ARGS: string[] }

/** Bytes of every file under `dir`. */
async function folderSize (dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

/** One field of INFO, as a number. */
function infoField (info: string, name: string): number {
  return Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? Number.NaN)
}

t.test('after ten reloads ./data holds less than twice what Redis holds in memory', async (t) => {
  const redis = await startTestRedis({}, { appendOnly: true, extraArgs: REDIS_PERSISTENCE_ARGS })
  t.teardown(redis.close)
  const source = join(redis.server.dir, 'synthetic-hgnc.json.gz')
  await writeSyntheticHgnc(source, 5_000)
  const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  const client = redis.stores.genes

  let previous: string | null = null
  for (let i = 0; i < 10; i++) {
    const { loaded } = await genes.load(readHgncSource(source), source)
    t.equal(loaded, 5_000, `reload ${i + 1}`)
    const current = await genes.currentVersion()
    if (previous !== null) {
      // A replaced version stays readable for a grace period, then expires: reloads minutes apart
      // (as a user makes them) see it gone; here it is expired at once instead of waiting.
      const oldKeys = redis.keys.genes.versionKeys(previous)
      for (const key of oldKeys) await client.pExpire(key, 1)
      await waitFor(async () => await client.exists(oldKeys) === 0, { what: 'the replaced version to expire' })
    }
    previous = current
  }
  await waitFor(async () => {
    const info = await client.info('persistence')
    return infoField(info, 'aof_rewrite_in_progress') === 0 && infoField(info, 'aof_rewrite_scheduled') === 0
  }, { timeoutMs: 5_000, what: 'AOF rewrites to finish' })
  const usedMemory = infoField(await client.info('memory'), 'used_memory')
  const onDisk = await folderSize(redis.server.dir) - (await stat(source)).size
  t.comment(`after ten reloads of 5,000 genes: Redis used_memory ${(usedMemory / 1e6).toFixed(1)} MB, data folder ${(onDisk / 1e6).toFixed(1)} MB`)
  t.ok(onDisk < 2 * usedMemory, `the data folder (${onDisk} bytes) is under twice used_memory (${usedMemory} bytes)`)
})
