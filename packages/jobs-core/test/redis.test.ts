import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { freePort, startRedisServer, waitFor } from '@genejobs/test-support'
import { createStores, isRedisUnavailable, reconnectDelay } from '../src/redis.js'

const jobsCore = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js')

/** Runs a snippet in a fresh node process; resolves with its exit code (it must exit on its own). */
async function runToExit (code: string): Promise<number | null> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  try {
    return await waitFor(async () => await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 50))]) ?? undefined, { timeoutMs: 30_000, what: 'the process to exit by itself' }) // generous: loading jobs-core alone takes seconds on a busy machine
  } finally {
    child.kill('SIGKILL')
  }
}

t.test('reconnect delays grow, are capped at 2 s, and are jittered', async (t) => {
  t.ok(reconnectDelay(0) >= 25 && reconnectDelay(0) <= 50)
  for (let retries = 6; retries < 40; retries++) t.ok(reconnectDelay(retries) <= 2000 && reconnectDelay(retries) >= 1000)
})

t.test('closing the stores while they are still connecting leaves nothing running', async (t) => {
  const server = await startRedisServer()
  t.teardown(server.stop)
  const code = `import { createStores } from ${JSON.stringify(jobsCore)}
    const stores = createStores({ host: '127.0.0.1', port: ${server.port} }, { genes: 0, jobs: 1 }, 'test')
    stores.connect().catch(() => {})
    await stores.close()`
  t.equal(await runToExit(code), 0)
})

t.test('closing the stores while Redis is down returns at once', async (t) => {
  const port = await freePort()
  const code = `import { createStores } from ${JSON.stringify(jobsCore)}
    const stores = createStores({ host: '127.0.0.1', port: ${port} }, { genes: 0, jobs: 1 }, 'test')
    stores.connect().catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 300))
    await stores.close()`
  t.equal(await runToExit(code), 0)
})

t.test('commands fail fast as "unavailable" while Redis is down, and work again when it is back', async (t) => {
  const server = await startRedisServer()
  t.teardown(server.stop)
  const stores = createStores({ host: '127.0.0.1', port: server.port }, { genes: 0, jobs: 1 }, 'test')
  await stores.connect()
  t.teardown(stores.close)
  await server.kill()
  const err = await waitFor(async () => await stores.genes.ping().then(() => undefined, (error: unknown) => error), { what: 'a failed command' })
  t.ok(isRedisUnavailable(err), `${(err as Error).name}: ${(err as Error).message}`)
  await server.restart()
  await waitFor(async () => await stores.ping().then(() => true, () => false), { timeoutMs: 10_000, what: 'the stores to reconnect' })
  t.ok(stores.isReady())
})
