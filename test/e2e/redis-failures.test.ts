// Redis failing in the middle of things, against the real API process: killed during a load and
// during a stream, out of memory during a load and a submission, a data set deleted while it is
// being streamed, and clients that hold a connection open without sending their headers. The API
// must answer each with a clear status, never exit, and recover by itself.
import { mkdtemp, rm } from 'node:fs/promises'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { createClient } from 'redis'
import { waitFor, writeSyntheticHgnc } from '@genejobs/test-support'
import { startStack, type Stack } from './helpers.js'

const GENES = 40_000
const dir = await mkdtemp(join(tmpdir(), 'genejobs-failures-'))
const source = join(dir, 'synthetic.json.gz')
await writeSyntheticHgnc(source, GENES)
t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })

/** Reads a streamed response: the first chunk at once, then (after `between`) the rest. */
async function readInTwoParts (stack: Stack, path: string, between: () => Promise<void>): Promise<{ status: number, text: string, error?: string }> {
  const res = await fetch(stack.baseUrl + path)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    const first = await reader.read()
    text += decoder.decode(first.value, { stream: true })
    await between()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
    return { status: res.status, text }
  } catch (err) {
    return { status: res.status, text, error: String((err as Error).cause ?? err) }
  }
}

t.test('redis-server killed in the middle of a load: 503, the API lives on and loads again once Redis is back', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { HGNC_SOURCE: source } })
  const load = stack.http('POST', '/data')
  await stack.api.waitForLog((line) => line.msg === 'gene data load started', 'the load to start')
  await new Promise((resolve) => setTimeout(resolve, 300))
  await stack.redis.kill()
  const answer = await load
  t.equal(answer.status, 503, JSON.stringify(answer.body))
  t.match(answer.body.message, /Redis is unavailable/)
  await stack.redis.restart()
  await waitFor(async () => (await stack.http('GET', '/health')).status === 200, { timeoutMs: 20_000, what: 'health 200 again' })
  t.equal(stack.api.child.exitCode, null, 'the same API process answers')
  t.notOk(stack.api.logs.some((line) => line.msg === 'shutting down after an error'), 'no fatal error was logged')
  const again = await stack.http('POST', '/data')
  t.same([again.status, again.body.loaded], [201, GENES])
})

t.test('Redis out of memory: a load and a submission answer 507 with the cause, store nothing, and work once memory is freed', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { HGNC_SOURCE: source }, redisArgs: ['--maxmemory', '6mb', '--maxmemory-policy', 'noeviction'] })
  const admin = createClient({ socket: { host: '127.0.0.1', port: stack.redis.port } })
  await admin.connect()
  t.teardown(async () => { await admin.close() })
  const load = await stack.http('POST', '/data')
  t.equal(load.status, 507, JSON.stringify(load.body))
  t.match(load.body.message, /^Redis is out of memory \(it reached its maxmemory limit\) and refused the write; nothing was stored\. .*raise Redis' maxmemory/)
  t.equal((await stack.http('GET', '/health')).status, 200, 'reads still work')
  t.same((await stack.http('GET', '/genes')).body, [], 'no half-loaded data became current')
  await admin.configSet('maxmemory', '0')
  t.equal((await stack.http('POST', '/data')).status, 201, 'the load works once memory is there')
  // Leave no room at all, so that a job record cannot be written either.
  await admin.configSet('maxmemory', String(Number((await admin.info('memory')).match(/used_memory:(\d+)/)?.[1]) - 1024))
  const submit = await stack.http('POST', '/jobs', { hgnc_id_start: '1', hgnc_id_end: '10' })
  t.equal(submit.status, 507, 'a job is refused, not accepted and failed later')
  t.match(submit.body.message, /^Redis is out of memory/)
  t.same((await stack.http('GET', '/jobs')).body, { jobs: [] })
  t.equal(stack.api.child.exitCode, null, 'the API lives on')
  await admin.configSet('maxmemory', '0')
  t.equal((await stack.http('POST', '/jobs', { hgnc_id_start: '1', hgnc_id_end: '10' })).status, 201)
})

t.test('DELETE /data while GET /data streams: the stream still delivers its whole version', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { HGNC_SOURCE: source } })
  t.equal((await stack.http('POST', '/data')).status, 201)
  const read = await readInTwoParts(stack, '/data', async () => {
    t.same((await stack.http('DELETE', '/data')).body.deleted, GENES)
  })
  t.equal(read.error, undefined)
  const records = JSON.parse(read.text) as Array<{ hgnc_id: string }>
  t.equal(records.length, GENES, 'every record of the version the stream started on')
  t.same((await stack.http('GET', '/data')).body, [], 'new readers see the deletion')
})

t.test('redis-server killed while GET /data streams: the client sees a cut-off body, never a short array; the API lives on', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { HGNC_SOURCE: source } })
  t.equal((await stack.http('POST', '/data')).status, 201)
  const read = await readInTwoParts(stack, '/data', async () => { await stack.redis.kill() })
  t.equal(read.status, 200)
  t.throws(() => JSON.parse(read.text), 'the body is not a complete JSON array')
  await stack.redis.restart()
  await waitFor(async () => (await stack.http('GET', '/health')).status === 200, { timeoutMs: 20_000, what: 'health 200 again' })
  t.equal(stack.api.child.exitCode, null)
})

t.test('a connection that does not finish its headers within HEADERS_TIMEOUT_MS is closed', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { HEADERS_TIMEOUT_MS: '1000' } })
  const port = Number(new URL(stack.baseUrl).port)
  const sockets = await Promise.all(Array.from({ length: 20 }, async () => await new Promise<Socket>((resolve) => {
    const socket = new Socket()
    socket.on('error', () => {})
    socket.resume() // read what the server sends (its 408), so its close is seen
    socket.connect(port, '127.0.0.1', () => { socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '); resolve(socket) })
  })))
  // Node's own default would keep them for a minute; the setting closes them within seconds.
  await waitFor(() => sockets.every((socket) => socket.destroyed || socket.readableEnded), { timeoutMs: 10_000, what: 'the slow connections to be closed' })
  t.pass('every slow connection was closed')
  t.equal((await stack.http('GET', '/health')).status, 200, 'other clients are served')
})
