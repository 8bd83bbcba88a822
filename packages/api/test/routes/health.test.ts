import t from 'tap'
import { waitFor } from '@genejobs/test-support'
import { buildTestApp } from '../helper.js'

t.test('health is 503 while Redis is down and 200 again when it is back, without a restart', async (t) => {
  const { app, redis } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  await redis.server.kill()
  const down = await waitFor(async () => {
    const res = await app.inject({ method: 'GET', url: '/health' })
    return res.statusCode === 503 ? res : undefined
  }, { what: 'health to report 503' })
  t.same(down.json(), { statusCode: 503, error: 'Service Unavailable', message: 'Redis is unavailable' })
  const genes = await app.inject({ method: 'GET', url: '/genes' })
  t.equal(genes.statusCode, 503)
  t.match(genes.json().message, /Redis is unavailable/)
  await redis.server.restart()
  const up = await waitFor(async () => {
    const res = await app.inject({ method: 'GET', url: '/health' })
    return res.statusCode === 200 ? res : undefined
  }, { timeoutMs: 15_000, what: 'health to recover' })
  t.equal(up.json().redis, 'up')
})

t.test('internal errors are logged but answered with a generic 500', async (t) => {
  const { app } = await buildTestApp(t)
  app.genes.count = async () => { throw new Error('secret internal detail') }
  const res = await app.inject({ method: 'GET', url: '/health' })
  // /health treats any failure as "Redis unavailable"; use a route that surfaces the 500.
  t.equal(res.statusCode, 503)
  app.genes.ids = async () => { throw new Error('secret internal detail') }
  const genes = await app.inject({ method: 'GET', url: '/genes' })
  t.equal(genes.statusCode, 500)
  t.same(genes.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
})

t.test('GET /health/live answers without Redis; GET /health/ready follows Redis', async (t) => {
  const { app, redis } = await buildTestApp(t)
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready', redis: 'up' })
  await redis.server.kill()
  const down = await waitFor(async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' })
    return res.statusCode === 503 ? res : undefined
  }, { what: 'readiness to report 503' })
  t.same(down.json(), { statusCode: 503, error: 'Service Unavailable', message: 'Redis is unavailable' })
  const live = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200, 'a Redis outage does not fail the liveness probe')
  t.same(live.json(), { status: 'ok' })
  await redis.server.restart()
  await waitFor(async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200, { timeoutMs: 15_000, what: 'readiness to recover' })
})

t.test('GET /health/ready answers 503 once the API is shutting down, while /health/live still answers', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal(app.lifecycle.shuttingDown, false)
  app.lifecycle.shuttingDown = true // what server.ts does on SIGTERM, before app.close()
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { statusCode: 503, error: 'Service Unavailable', message: 'the API is shutting down' })
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'GET /health keeps its meaning: Redis answers')
})

t.test('app.close() marks the API as shutting down', async (t) => {
  const { app } = await buildTestApp(t)
  await app.close()
  t.equal(app.lifecycle.shuttingDown, true)
})
