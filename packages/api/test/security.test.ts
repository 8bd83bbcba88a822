import { networkInterfaces } from 'node:os'
import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { pino } from 'pino'
import type { FastifyInstance } from 'fastify'
import type { LightMyRequestResponse } from 'fastify'
import { fixturePath, startTestRedis, waitFor } from '@genejobs/test-support'
import { buildApp } from '../src/app.js'
import { bearerToken, isLoopbackAddress, tokensMatch } from '../src/plugins/auth.js'
import { splitSecurityHeaders } from '../src/plugins/security.js'
import { buildTestApp } from './helper.js'

const TOKEN = 'c0ffee'.repeat(8) // 48 characters, as `openssl rand -hex 24` would give
const NO_LIMITS = { RATE_LIMIT_JOBS_PER_MINUTE: '0', RATE_LIMIT_HEAVY_PER_MINUTE: '0' }
const JOB = { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }

/** Asserts the one error shape, with the status in the body equal to the HTTP status. */
function isError (t: Test, res: LightMyRequestResponse, status: number, message?: RegExp | string): void {
  t.equal(res.statusCode, status, `status ${status}`)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = res.json()
  t.same(Object.keys(body).sort(), ['error', 'message', 'statusCode'])
  t.equal(body.statusCode, status)
  if (message !== undefined) t.match(body.message, message)
}

async function postJson (app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) {
  return await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) })
}

t.test('isLoopbackAddress: 127.0.0.0/8, ::1 and IPv4-mapped loopback only', async (t) => {
  for (const address of ['127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:127.9.9.9']) {
    t.ok(isLoopbackAddress(address), address)
  }
  for (const address of [undefined, '', '10.0.0.5', '192.168.1.1', '128.0.0.1', '126.255.255.255', '::2', '::ffff:10.0.0.5', 'fe80::1', 'localhost', '127.0.0.1.evil', 'not an address']) {
    t.notOk(isLoopbackAddress(address), String(address))
  }
})

t.test('tokensMatch compares in constant time whatever the lengths; bearerToken parses the header', async (t) => {
  t.ok(tokensMatch(TOKEN, TOKEN))
  t.notOk(tokensMatch(TOKEN.slice(0, -1), TOKEN), 'shorter')
  t.notOk(tokensMatch(`${TOKEN}x`, TOKEN), 'longer')
  t.notOk(tokensMatch('', TOKEN), 'empty')
  t.notOk(tokensMatch(TOKEN.toUpperCase(), TOKEN), 'case matters')
  t.equal(bearerToken(`Bearer ${TOKEN}`), TOKEN)
  t.equal(bearerToken(`bearer ${TOKEN}`), TOKEN, 'the scheme is case-insensitive')
  for (const header of [undefined, '', 'Bearer', 'Bearer ', `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`, `Bearer\t${TOKEN}`, `${TOKEN}`, 'Bearer a\u0000b']) {
    t.equal(bearerToken(header), undefined, JSON.stringify(header))
  }
})

t.test('with API_ADMIN_TOKEN set, POST and DELETE /data need the token, from anywhere', async (t) => {
  const { app, redis } = await buildTestApp(t, { API_ADMIN_TOKEN: TOKEN })
  const before = await redis.snapshot()
  for (const method of ['POST', 'DELETE'] as const) {
    for (const remoteAddress of ['127.0.0.1', '10.0.0.5']) {
      const missing = await app.inject({ method, url: '/data', remoteAddress })
      isError(t, missing, 401, `${method} /data needs the admin token: send Authorization: Bearer <API_ADMIN_TOKEN>`)
      t.equal(missing.headers['www-authenticate'], 'Bearer realm="genejobs"')
      const basic = await app.inject({ method, url: '/data', remoteAddress, headers: { authorization: 'Basic dXNlcjpwYXNz' } })
      isError(t, basic, 401, 'the Authorization header must be "Bearer <token>"')
      t.match(basic.headers['www-authenticate'], /^Bearer /)
      for (const wrong of ['wrong-token-0123456789', TOKEN.slice(0, -1), `${TOKEN}0`, TOKEN.toUpperCase()]) {
        isError(t, await app.inject({ method, url: '/data', remoteAddress, headers: { authorization: `Bearer ${wrong}` } }), 403, 'the admin token is not valid')
      }
    }
  }
  t.same(await redis.snapshot(), before, 'refused admin requests change nothing')

  const loaded = await app.inject({ method: 'POST', url: '/data', remoteAddress: '10.0.0.5', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(loaded.statusCode, 201, 'the right token works from a remote address')
  t.equal(loaded.json().loaded, 8)
  const deleted = await app.inject({ method: 'DELETE', url: '/data', headers: { authorization: `bearer ${TOKEN}` } })
  t.same(deleted.json(), { deleted: 8, message: 'deleted 8 genes' })
  t.equal((await app.inject({ method: 'GET', url: '/data' })).statusCode, 200, 'reads need no token')
})

t.test('the token is checked before the body is read: no token beats a huge or non-JSON body', async (t) => {
  const { app } = await buildTestApp(t, { API_ADMIN_TOKEN: TOKEN, BODY_LIMIT: '1024' })
  isError(t, await app.inject({ method: 'POST', url: '/data', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ source: 'x'.repeat(5000) }) }), 401)
  isError(t, await app.inject({ method: 'POST', url: '/data', headers: { 'content-type': 'text/plain' }, payload: 'file:///etc/passwd' }), 401)
  isError(t, await app.inject({ method: 'DELETE', url: '/data', headers: { 'content-type': 'application/json' }, payload: '{not json' }), 401)
})

t.test('without API_ADMIN_TOKEN, admin routes are loopback-only (the socket address, not X-Forwarded-For)', async (t) => {
  const { app, redis } = await buildTestApp(t)
  const before = await redis.snapshot()
  for (const method of ['POST', 'DELETE'] as const) {
    for (const remoteAddress of ['10.0.0.5', '192.168.1.20', 'fd00::7', '::ffff:10.0.0.5']) {
      const res = await app.inject({ method, url: '/data', remoteAddress, headers: { 'x-forwarded-for': '127.0.0.1', authorization: `Bearer ${TOKEN}` } })
      isError(t, res, 403, `${method} /data is allowed only from loopback because API_ADMIN_TOKEN is not set`)
    }
  }
  t.same(await redis.snapshot(), before)
  t.equal((await app.inject({ method: 'POST', url: '/data', remoteAddress: '::ffff:127.0.0.1' })).statusCode, 201, 'IPv4-mapped loopback is loopback')
  t.equal((await app.inject({ method: 'DELETE', url: '/data', remoteAddress: '::1' })).statusCode, 200)
})

const interfaces = Object.entries(networkInterfaces()).flatMap(([name, nets]) => (nets ?? []).map((net) => ({ name, ...net })))
const external = interfaces.find((net) => !net.internal && net.family === 'IPv4')
// Skipped (with the reason in the report) where the test cannot make a non-loopback connection.
const noExternalReason = 'needs a non-loopback IPv4 address to connect from, and this machine has none ' +
  `(interfaces: ${interfaces.map((net) => `${net.name} ${net.address}`).join(', ') || 'none'})`
t.test('without API_ADMIN_TOKEN, a real listening server refuses a non-loopback peer and serves a loopback one', {
  skip: external === undefined ? noExternalReason : false
}, async (t) => {
  const { app } = await buildTestApp(t)
  await app.listen({ host: '0.0.0.0', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const local = await fetch(`http://127.0.0.1:${port}/data`, { method: 'DELETE' })
  t.equal(local.status, 200, 'loopback peer')
  const remote = await fetch(`http://${external?.address ?? ''}:${port}/data`, { method: 'DELETE', headers: { 'x-forwarded-for': '127.0.0.1' } })
  t.equal(remote.status, 403, `peer ${external?.address ?? ''}`)
  t.same(await remote.json(), { statusCode: 403, error: 'Forbidden', message: 'DELETE /data is allowed only from loopback because API_ADMIN_TOKEN is not set' })
})

t.test('the API warns at start-up when no admin token is configured, and not otherwise', async (t) => {
  const startUp = async (env: Record<string, string>) => {
    const lines: Array<{ level: number, msg: string }> = []
    const sink = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString())); done() } })
    const redis = await startTestRedis({ HGNC_SOURCE: fixturePath('genes.json'), ...env })
    const app = await buildApp({ config: redis.config, logger: pino({ level: 'info' }, sink) })
    await app.ready()
    await waitFor(() => app.stores.isReady(), { what: 'the API to connect to redis' })
    await app.close()
    await redis.close()
    return lines.filter((line) => line.level === 40 && line.msg.includes('API_ADMIN_TOKEN')).map((line) => line.msg)
  }
  const warnings = await startUp({})
  t.match(warnings, [/^API_ADMIN_TOKEN is not set: POST \/data, DELETE \/data and POST \/jobs\/:id\/retry are allowed only from loopback/])
  t.same(await startUp({ API_ADMIN_TOKEN: TOKEN }), [])
})

t.test('a caller\'s X-Request-Id is logged only when it is a short plain token', async (t) => {
  const lines: Array<{ reqId?: string, msg: string }> = []
  const sink = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString())); done() } })
  const redis = await startTestRedis({ HGNC_SOURCE: fixturePath('genes.json') })
  const app = await buildApp({ config: redis.config, logger: pino({ level: 'info' }, sink) })
  t.teardown(async () => {
    await app.close()
    await redis.close()
  })
  const idOf = async (requestId: string) => {
    lines.length = 0
    await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': requestId } })
    return lines.find((line) => line.msg === 'incoming request')?.reqId
  }
  t.equal(await idOf('client-trace.42:a_b'), 'client-trace.42:a_b')
  for (const hostile of ['x'.repeat(129), 'a\nb', 'a b', '{"level":60}', '']) {
    t.match(await idOf(hostile), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `${JSON.stringify(hostile.slice(0, 20))} is replaced by a UUID`)
  }
})

t.test('POST /jobs is rate limited per client: 429 with Retry-After and the error shape', async (t) => {
  const { app, redis } = await buildTestApp(t, { RATE_LIMIT_JOBS_PER_MINUTE: '3' })
  await app.inject({ method: 'POST', url: '/data' }) // jobs are accepted only once data is loaded
  for (let i = 0; i < 3; i++) t.equal((await postJson(app, '/jobs', JOB)).statusCode, 201, `job ${i + 1}`)
  const before = await redis.snapshot()
  const limited = await postJson(app, '/jobs', JOB)
  isError(t, limited, 429, /^too many requests: at most 3 job submissions \(POST \/jobs\) per minute per client; retry in \d+ seconds? \(the server setting RATE_LIMIT_JOBS_PER_MINUTE raises the limit\)$/)
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${String(limited.headers['retry-after'])}`)
  t.match(limited.json().message, `retry in ${retryAfter} second`)
  t.equal(limited.headers['x-ratelimit-limit'], '3')
  t.equal(limited.headers['x-content-type-options'], 'nosniff', 'security headers on a 429 too')
  // Refused before its body is read: even a bad body gets 429, and nothing is stored.
  isError(t, await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'text/plain' }, payload: 'x' }), 429)
  t.same(await redis.snapshot(), before)
  t.equal((await postJson(app, '/jobs', JOB, {})).statusCode, 429)
  const other = await app.inject({ method: 'POST', url: '/jobs', remoteAddress: '10.0.0.9', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(JOB) })
  t.equal(other.statusCode, 201, 'another client has its own count')
  t.equal((await app.inject({ method: 'GET', url: '/jobs' })).statusCode, 200, 'other routes are not limited')
})

t.test('GET /data and GET /genes share the heavy-read limit; light reads are not limited', async (t) => {
  const { app } = await buildTestApp(t, { RATE_LIMIT_HEAVY_PER_MINUTE: '2' })
  t.equal((await app.inject({ method: 'GET', url: '/data' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/genes' })).statusCode, 200)
  for (const url of ['/genes', '/data']) {
    const res = await app.inject({ method: 'GET', url })
    isError(t, res, 429, /^too many requests: at most 2 heavy reads \(GET \/data and GET \/genes together\) per minute per client; retry in \d+ seconds? \(the server setting RATE_LIMIT_HEAVY_PER_MINUTE raises the limit\)$/)
    t.ok(Number(res.headers['retry-after']) >= 1)
  }
  t.equal((await app.inject({ method: 'HEAD', url: '/genes' })).statusCode, 429, 'HEAD counts as GET')
  for (const url of ['/health', '/genes/HGNC:5', '/symbols/A1BG', '/jobs']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode === 429, false, `${url} is not limited`)
  }
})

t.test('each budget has its own count: job submissions and heavy reads do not share one', async (t) => {
  const { app } = await buildTestApp(t, { RATE_LIMIT_JOBS_PER_MINUTE: '2', RATE_LIMIT_HEAVY_PER_MINUTE: '2' })
  await app.inject({ method: 'POST', url: '/data' }) // jobs are accepted only once data is loaded
  for (const url of ['/genes', '/data']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url)
  t.equal((await app.inject({ method: 'HEAD', url: '/data' })).statusCode, 429, 'heavy reads used up')
  for (let i = 0; i < 2; i++) t.equal((await postJson(app, '/jobs', JOB)).statusCode, 201, `job ${i + 1} still accepted`)
  isError(t, await postJson(app, '/jobs', JOB), 429, /job submissions/)
})

t.test('a limit of 0 turns rate limiting off', async (t) => {
  const { app } = await buildTestApp(t, NO_LIMITS)
  await app.inject({ method: 'POST', url: '/data' })
  const statuses = new Set<number>()
  for (let i = 0; i < 60; i++) statuses.add((await app.inject({ method: 'GET', url: '/genes' })).statusCode)
  for (let i = 0; i < 130; i++) statuses.add((await postJson(app, '/jobs', { analysis: 'nope' })).statusCode)
  t.same([...statuses].sort(), [200, 400])
})

t.test('CORS is off unless CORS_ORIGIN is set', async (t) => {
  const { app } = await buildTestApp(t)
  const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } })
  t.equal(simple.headers['access-control-allow-origin'], undefined)
  const preflight = await app.inject({ method: 'OPTIONS', url: '/jobs', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  isError(t, preflight, 404)
  t.equal(preflight.headers['access-control-allow-origin'], undefined)
})

t.test('with CORS_ORIGIN, only the listed origins are allowed', async (t) => {
  const { app } = await buildTestApp(t, { CORS_ORIGIN: 'https://app.example.org,http://localhost:3000' })
  const allowed = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example.org' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.org')
  const preflight = await app.inject({ method: 'OPTIONS', url: '/jobs', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:3000')
  t.match(preflight.headers['access-control-allow-methods'], /POST/)
  const other = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } })
  t.equal(other.headers['access-control-allow-origin'], undefined)
})

t.test('security headers on every kind of response', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [url, status] of [['/health', 200], ['/jobs?limit=0', 400], ['/genes/HGNC:abc', 404], ['/nope', 404]] as const) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, status, url)
    t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", `${url} CSP`)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.equal(res.headers['x-frame-options'], 'DENY')
    t.equal(res.headers['referrer-policy'], 'no-referrer')
    t.equal(res.headers['x-powered-by'], undefined)
  }
})

t.test('HTML pages get helmet\'s document-only headers too; JSON answers go without them', async (t) => {
  const { app } = await buildTestApp(t)
  const { everyResponse, documentsOnly } = splitSecurityHeaders()
  t.same(Object.keys(documentsOnly).sort(), ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'])
  t.same(Object.keys(everyResponse).sort(), ['content-security-policy', 'cross-origin-resource-policy', 'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'])
  for (const url of ['/health', '/genes/HGNC:abc', '/nope', '/openapi.json']) {
    const res = await app.inject({ method: 'GET', url })
    t.match(res.headers['content-type'], /^application\/json/, url)
    for (const [name, value] of Object.entries(everyResponse)) t.equal(res.headers[name], value, `${url}: ${name}`)
    for (const name of Object.keys(documentsOnly)) t.equal(res.headers[name], undefined, `${url}: no ${name}`)
  }
  for (const url of ['/', '/docs']) {
    const res = await app.inject({ method: 'GET', url })
    t.match(res.headers['content-type'], /^text\/html/, url)
    for (const [name, value] of Object.entries({ ...everyResponse, ...documentsOnly })) {
      // The pages have content security policies of their own (dashboard.test.ts, openapi.test.ts).
      if (name !== 'content-security-policy') t.equal(res.headers[name], value, `${url}: ${name}`)
    }
  }
})

t.test('bodies: JSON only (415), within BODY_LIMIT (413), valid UTF-8 and JSON (400)', async (t) => {
  const { app, redis } = await buildTestApp(t, { ...NO_LIMITS, BODY_LIMIT: '2048' })
  await app.inject({ method: 'POST', url: '/data' }) // jobs are accepted only once data is loaded
  const before = await redis.snapshot()
  const post = async (payload: string | Buffer, contentType?: string) => await app.inject({
    method: 'POST', url: '/jobs', payload, headers: contentType === undefined ? {} : { 'content-type': contentType }
  })
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'text/json', 'application/json-patch+json', 'garbage']) {
    isError(t, await post('{}', type), 415, `Content-Type ${JSON.stringify(type)} is not supported: send application/json, or multipart/form-data to upload a file`)
  }
  // POST /jobs takes uploads (routes/uploads.test.ts); a body that is not the multipart it claims is 400.
  isError(t, await post('{}', 'multipart/form-data; boundary=x'), 400, 'the body is not valid multipart/form-data: Unexpected end of multipart data')
  isError(t, await post('{}', 'multipart/form-data'), 400, 'the body is not valid multipart/form-data: Multipart: Boundary not found')
  isError(t, await post('{}', 'application/json; charset=utf-16'), 415, 'Content-Type charset "utf-16" is not supported: send application/json in UTF-8')
  isError(t, await post(JSON.stringify({ ...JOB, pad: 'x'.repeat(3000) }), 'application/json'), 413, 'body is larger than the limit of 2048 bytes (BODY_LIMIT)')
  isError(t, await post('{"analysis":', 'application/json'), 400, /^body is not valid JSON: /)
  isError(t, await post("{'analysis':'x'}", 'application/json'), 400, /^body is not valid JSON: /)
  isError(t, await post('', 'application/json'), 400, 'body is empty but Content-Type is application/json: send a JSON value')
  isError(t, await post(Buffer.from([0x7b, 0x22, 0x61, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'), 400, 'body is not valid UTF-8')
  isError(t, await post('{"__proto__":{"admin":true}}', 'application/json'), 400, 'body must not contain "__proto__" or "constructor.prototype" keys')
  isError(t, await post('{"constructor":{"prototype":{"admin":true}}}', 'application/json'), 400, /__proto__/)
  isError(t, await post('[]', 'application/json'), 400, 'body must be a JSON object')
  isError(t, await post(JSON.stringify({ ...JOB, analysis: ['approval-timeline'] }), 'application/json'), 400, /^body\/analysis must be one of: /)
  t.equal((await post(JSON.stringify(JOB), 'application/json; charset=UTF-8')).statusCode, 201, 'charset=utf-8 is fine')
  const after = await redis.snapshot()
  t.equal(Object.keys(after).length > Object.keys(before).length, true, 'only the good request stored anything')
})

t.test('validation messages name the field and its rule, and unknown query parameters are refused', async (t) => {
  const { app } = await buildTestApp(t, NO_LIMITS)
  const get = async (url: string) => await app.inject({ method: 'GET', url })
  // A malformed id in a path names no resource: 404, with the message saying what an id looks like.
  isError(t, await get('/genes/HGNC:abc'), 404, 'params/hgnc_id must be HGNC:<number>, hgnc:<number> or <number>')
  isError(t, await get('/symbols/a%20b'), 404, 'params/symbol must be 1 to 64 printable characters without spaces or "/"')
  isError(t, await get('/jobs/not-a-uuid'), 404, 'params/id must be a job id (UUID v4)')
  isError(t, await get('/results/not-a-uuid'), 404, 'params/id must be a job id (UUID v4)')
  isError(t, await get('/jobs?limit=5000'), 400, /^querystring\/limit must be <= 1000/)
  for (const limit of ['Infinity', '-Infinity', '0x10', '1e3', '%201', '5.0']) {
    isError(t, await get(`/jobs?limit=${limit}`), 400, 'querystring/limit must be a whole number written in digits (at most this many ids, 1 to 1000)')
  }
  t.equal((await get('/jobs?limit=5')).statusCode, 200, 'plain digits are fine')
  isError(t, await get('/jobs?status=done'), 400, 'querystring/status must be one of: "submitted", "in progress", "complete", "failed"')
  isError(t, await get('/jobs?limit=5&debug=1'), 400, 'querystring/debug is not an accepted parameter: the parameters are status, limit')
  isError(t, await get(`/jobs?${'x'.repeat(500)}=1`), 400, /^querystring\/x{61}\.\.\. is not an accepted parameter/)
})

t.test('errors raised before routing keep the error shape', async (t) => {
  const { app } = await buildTestApp(t)
  isError(t, await app.inject({ method: 'GET', url: '/symbols/%E0%A4%A' }), 400, 'the URL is not valid: it has malformed percent-encoding')
  isError(t, await app.inject({ method: 'GET', url: `/genes/${'9'.repeat(150)}` }), 414, 'a path parameter is too long')
  const notFound = await app.inject({ method: 'GET', url: `/${'a'.repeat(1000)}` })
  isError(t, notFound, 404)
  t.ok(notFound.json().message.length < 300, 'long URLs are cut in messages')
})

t.test('malformed requests are refused before any Redis call: with Redis down they are 4xx, not 503', async (t) => {
  const { app, redis } = await buildTestApp(t)
  await redis.server.kill()
  await waitFor(async () => (await app.inject({ method: 'GET', url: '/health' })).statusCode === 503, { what: 'health 503' })
  for (const url of ['/genes/HGNC:0', '/symbols/a%00b', '/jobs/123', '/results/../../x', '/jobs?limit=0']) {
    const res = await app.inject({ method: 'GET', url })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`)
  }
  isError(t, await postJson(app, '/jobs', { analysis: 'symbol-check', symbols: Array.from({ length: 200_001 }, () => 'A') }), 400, 'body/symbols must have at most 200000 items')
  isError(t, await app.inject({ method: 'POST', url: '/data', remoteAddress: '10.1.1.1' }), 403)
  // Back up before teardown, as in health.test.ts: closing clients that are mid-reconnect can stall.
  await redis.server.restart()
  await waitFor(async () => (await app.inject({ method: 'GET', url: '/health' })).statusCode === 200, { timeoutMs: 15_000, what: 'health 200 again' })
})

t.test('a compressed body is refused with 415 before it is read', async (t) => {
  const { app } = await buildTestApp(t)
  const { gzipSync } = await import('node:zlib')
  const res = await app.inject({ method: 'POST', url: '/jobs', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync('{"hgnc_id_start":"1","hgnc_id_end":"2"}') })
  t.equal(res.statusCode, 415)
  t.same(res.json(), { statusCode: 415, error: 'Unsupported Media Type', message: 'unsupported content encoding "gzip": send the body uncompressed (no Content-Encoding)' })
  t.same((await app.inject({ method: 'GET', url: '/jobs' })).json(), { jobs: [] }, 'nothing was stored')
})
