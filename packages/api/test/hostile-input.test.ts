// The hostile-input suite: hundreds of generated malformed requests against every route, through
// `inject` and as raw bytes over a real socket. Every answer must be a 4xx JSON error with a
// message, none a 5xx; the API must stay healthy; and Redis must hold exactly what it held before.
import { Socket } from 'node:net'
import t from 'tap'
import type { InjectOptions } from 'fastify'
import { buildTestApp } from './helper.js'

const TOKEN = 'feedface'.repeat(6)
const JSON_TYPE = { 'content-type': 'application/json' }
const NOT_FOUND_ID = '3f2a8c1e-9b7d-4e5f-a1b2-c3d4e5f60718' // a well-formed UUID v4 no job has

/** One malformed request: through `inject`, or as raw bytes written to the listening server. */
type Case = { name: string, inject: InjectOptions } | { name: string, raw: Buffer }

/** What came back, reduced to what the suite checks. */
interface Answer {
  status: number
  contentType: string | undefined
  body: string
}

const cases: Case[] = []
const add = (name: string, inject: InjectOptions) => { cases.push({ name, inject }) }
const addRaw = (name: string, raw: string | Buffer) => { cases.push({ name, raw: typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw }) }
/** A POST /jobs with this exact body text (so invalid JSON and odd numbers survive). */
const postJobs = (name: string, body: string | Buffer, headers: Record<string, string> = JSON_TYPE) => {
  add(`POST /jobs ${name}`, { method: 'POST', url: '/jobs', headers, payload: body })
}
const json = (value: unknown) => JSON.stringify(value)
const cut = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text)

// ---- admin routes: POST /data and DELETE /data without the right token -------------------------
const badAuthorizations = [
  undefined, '', ' ', 'Bearer', 'Bearer ', 'Bearer   ', 'Basic dXNlcjpwYXNz', 'Digest username="admin"', `Token ${TOKEN}`, TOKEN,
  'Bearer wrong', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${TOKEN} ${TOKEN}`,
  `Bearer ${'A'.repeat(10_000)}`, 'Bearer \u0000', `Bearer ${TOKEN}\u0000`, 'Bearer ../../etc/passwd', 'Bearer null'
]
for (const method of ['POST', 'DELETE'] as const) {
  for (const remoteAddress of ['127.0.0.1', '10.0.0.5']) {
    for (const authorization of badAuthorizations) {
      add(`${method} /data from ${remoteAddress} with Authorization ${cut(JSON.stringify(authorization) ?? 'none')}`, {
        method, url: '/data', remoteAddress, headers: authorization === undefined ? {} : { authorization }
      })
    }
  }
  add(`${method} /data with the token in the query`, { method, url: `/data?token=${TOKEN}` })
  add(`${method} /data with X-Forwarded-For: 127.0.0.1 from 10.0.0.5`, { method, url: '/data', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' } })
  add(`${method} /data asking for another source`, { method, url: '/data', headers: JSON_TYPE, payload: json({ source: 'file:///etc/passwd', url: 'http://169.254.169.254/latest/meta-data/' }) })
  add(`${method} /data with a text/plain body`, { method, url: '/data', headers: { 'content-type': 'text/plain' }, payload: '/etc/passwd' })
  add(`${method} /data with an oversized body`, { method, url: '/data', headers: JSON_TYPE, payload: json({ pad: 'x'.repeat(1_200_000) }) })
}
for (const method of ['PUT', 'PATCH'] as const) add(`${method} /data`, { method, url: '/data', headers: { authorization: `Bearer ${TOKEN}` } })

// ---- path parameters: /genes/:hgnc_id, /symbols/:symbol, /jobs/:id, /results/:id ---------------
const hostileSegments = [
  '%00', 'a%00b', '5%00', '%01', '%1F', '%7F', '%0A', '%0D%0A', '%09', '%20', '%22', '%27', '%3C', '%5C',
  '..%2F..%2Fetc%2Fpasswd', '..%2f..%2f..%2fdata', '%2e%2e%2f%2e%2e%2f', '..%5C..%5Cwindows', '%2F', 'a%2Fb',
  '%FF', '%C3%28', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%F0%9F%98%80', '%C3%A9',
  '*', '%2A', '%7B%7D', '%5B%5D', '$(reboot)', '%60id%60', "1'%20OR%20'1'='1", '%3Cscript%3E', 'A'.repeat(65), 'A'.repeat(101), '9'.repeat(5000)
]
const badGeneIds = [
  ...hostileSegments, 'HGNC:0', 'HGNC:-1', '-5', '0', '00', 'HGNC:05', 'HGNC:abc', 'HGNC:', 'HGNC::1', 'HGNC:1:2', 'hgnc%3A', '1e3', '1.5',
  'HGNC:1.5', '1234567890', '99999999999999999999', 'NaN', 'null', 'undefined', 'true', 'ENSG00000121410', 'A'.repeat(15), '%EF%BC%91' // fullwidth 1
]
for (const id of badGeneIds) add(`GET /genes/${cut(id)}`, { method: 'GET', url: `/genes/${id}` })
const badSymbols = [...hostileSegments.filter((segment) => !/^[!-.0-~]{1,64}$/.test(decodeURIComponentSafe(segment))), 'A'.repeat(66), `${'B'.repeat(64)}%20`]
for (const symbol of badSymbols) add(`GET /symbols/${cut(symbol)}`, { method: 'GET', url: `/symbols/${symbol}` })
const badJobIds = [
  ...hostileSegments, 'abc', '1', '-1', 'null', '00000000-0000-0000-0000-000000000000', '3f2a8c1e-9b7d-1e5f-a1b2-c3d4e5f60718', // v1
  `${NOT_FOUND_ID}0`, NOT_FOUND_ID.slice(1), NOT_FOUND_ID.replaceAll('-', ''), `{${NOT_FOUND_ID}}`, `${NOT_FOUND_ID}%00`, `${NOT_FOUND_ID.slice(0, -1)}g`,
  'genejobs:job:*', 'genejobs%3Ajob%3A%2A', NOT_FOUND_ID // well-formed but unknown: 404
]
for (const route of ['jobs', 'results']) {
  for (const id of badJobIds) add(`GET /${route}/${cut(id)}`, { method: 'GET', url: `/${route}/${id}` })
}
for (const format of ['evil', '', 'PNG', 'json%00', '..%2F..%2Fetc%2Fpasswd', 'svg&format=png', 'x'.repeat(1000), 'csv%0D%0ASet-Cookie:%20a=b']) {
  add(`GET /results/<unknown id>?format=${cut(format)}`, { method: 'GET', url: `/results/${NOT_FOUND_ID}?format=${format}` })
}
add('GET /results/<bad id>?format=png', { method: 'GET', url: '/results/..%2Fjobs?format=png' })

// ---- GET /jobs with a bad query ---------------------------------------------------------------
const badJobQueries = [
  'limit=0', 'limit=-1', 'limit=1001', 'limit=99999999999999999999', 'limit=1.5', 'limit=abc', 'limit=', 'limit=%20', 'limit=1&limit=2',
  'limit=0x10', 'limit=0b11', 'limit=1e3', 'limit=1e-0', 'limit=%2B5', 'limit=%201', 'limit=5.0', 'limit=Infinity', 'limit=-Infinity', 'limit=NaN', 'limit=%00', 'status=nope', 'status=COMPLETE', 'status=', 'status=complete%00',
  'status=complete&status=failed', 'status[]=complete', `status=${'x'.repeat(10_000)}`, 'foo=bar', 'limit=5&foo=1', '__proto__=x',
  'constructor[prototype][x]=1', 'status=in%20progress&extra=1', `${'k'.repeat(2000)}=1`
]
for (const query of badJobQueries) add(`GET /jobs?${cut(query)}`, { method: 'GET', url: `/jobs?${query}` })

// ---- POST /jobs: every analysis, missing/extra/wrongly typed fields, reversed ranges ------------
const badIdValues: Array<[string, string]> = [
  ['null', 'null'], ['true', 'true'], ['[]', '[]'], ['{}', '{}'], ['[1]', '[1]'], ['0', '0'], ['-1', '-1'], ['-5', '-5'], ['1.5', '1.5'],
  ['1e400', '1e400'], ['1e308', '1e308'], ['2^53+1', '9007199254740993'], ['1000000000', '1000000000'], ['"HGNC:0"', '"HGNC:0"'],
  ['"HGNC:-1"', '"HGNC:-1"'], ['"abc"', '"abc"'], ['""', '""'], ['" "', '" "'], ['path', '"../../etc/passwd"'], ['null byte', '"HGNC:1\\u0000"'],
  ['newline', '"HGNC:1\\n"'], ['10k chars', `"${'1'.repeat(10_000)}"`], ['"1e3"', '"1e3"'], ['SQL', '"1 OR 1=1"'], ['fullwidth', '"\\uff11"']
]
const rangeAnalyses = ['approval-timeline', 'locus-types', 'chromosomes'] as const
for (const analysis of rangeAnalyses) {
  const good = { analysis, hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }
  // The body as text, so values such as 1e400 and 2^53+1 reach the parser as written.
  const withField = (field: string, raw: string) =>
    `{"analysis":"${analysis}","hgnc_id_start":${field === 'hgnc_id_start' ? raw : '"HGNC:1"'},"hgnc_id_end":${field === 'hgnc_id_end' ? raw : '"HGNC:100"'}}`
  postJobs(`${analysis} without hgnc_id_start`, json({ analysis, hgnc_id_end: 'HGNC:5' }))
  postJobs(`${analysis} without hgnc_id_end`, json({ analysis, hgnc_id_start: 'HGNC:5' }))
  postJobs(`${analysis} with no parameters`, json({ analysis }))
  for (const field of ['hgnc_id_start', 'hgnc_id_end']) {
    for (const [label, raw] of badIdValues) postJobs(`${analysis} ${field}=${label}`, withField(field, raw))
  }
  postJobs(`${analysis} reversed range`, json({ ...good, hgnc_id_start: 'HGNC:100', hgnc_id_end: 'HGNC:5' }))
  postJobs(`${analysis} reversed huge range`, json({ ...good, hgnc_id_start: 999_999_999, hgnc_id_end: 1 }))
  postJobs(`${analysis} negative range`, json({ ...good, hgnc_id_start: -10, hgnc_id_end: -1 }))
  postJobs(`${analysis} negative reversed range`, json({ ...good, hgnc_id_start: -1, hgnc_id_end: -10 }))
  for (const [field, value] of [
    ['locus_group', 'gene'], ['locus_group', 123], ['locus_group', null], ['locus_group', ['protein-coding gene']], ['locus_group', 'protein-coding gene\u0000'],
    ['status', 'approved'], ['status', 1], ['chromosome', '23'], ['chromosome', 'chrX'], ['chromosome', 1], ['chromosome', 'x'], ['chromosome', ''],
    ['evil', 1], ['symbols', ['A1BG']], ['constructor', 1], ['hgnc_id', 'HGNC:5'], ['x'.repeat(300), 1]
  ] as Array<[string, unknown]>) {
    postJobs(`${analysis} ${cut(field)}=${cut(JSON.stringify(value))}`, json({ ...good, [field]: value }))
  }
}
for (const analysis of [null, 1, true, '', 'APPROVAL-TIMELINE', 'approval_timeline', 'test-sleep', 'test-fail', '../approval-timeline', 'approval-timeline\u0000', ['approval-timeline'], { name: 'chromosomes' }, 'x'.repeat(5000)]) {
  postJobs(`analysis=${cut(JSON.stringify(analysis))}`, json({ analysis, hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100', symbols: ['A1BG'] }))
}
const symbolCheck = (symbols: unknown, extra: Record<string, unknown> = {}) => json({ analysis: 'symbol-check', symbols, ...extra })
postJobs('symbol-check without symbols', json({ analysis: 'symbol-check' }))
for (const [label, symbols] of [
  ['[]', []], ['a string', 'BRCA1'], ['null', null], ['{}', {}], ['5', 5], ['[1]', [1]], ['[null]', [null]], ['[[]]', [[]]], ['[{}]', [{}]], ['[true]', [true]],
  ['[""]', ['']], ['[" "]', [' ']], ['["A B"]', ['A B']], ['null byte', ['A\u0000']], ['control char', ['A\u0001B']], ['DEL', ['A\u007fB']],
  ['non-ASCII', ['é']], ['lone surrogate', ['\ud800']], ['emoji', ['😀']], ['65 chars', ['A'.repeat(65)]], ['10,000 chars', ['A'.repeat(10_000)]],
  ['200,001 symbols', Array.from({ length: 200_001 }, () => 'A')], ['300,000 symbols (past BODY_LIMIT)', Array.from({ length: 300_000 }, () => 'A')],
  ['5,000 symbols, one too long', [...Array.from({ length: 4999 }, () => 'BRCA1'), 'B'.repeat(65)]], ['nested arrays', [['BRCA1']]]
] as Array<[string, unknown]>) {
  postJobs(`symbol-check symbols=${label}`, symbolCheck(symbols))
}
postJobs('symbol-check with hgnc_id_start', symbolCheck(['A1BG'], { hgnc_id_start: 'HGNC:1' }))
postJobs('symbol-check with an extra field', symbolCheck(['A1BG'], { callback: 'http://evil.example/' }))

// Not JSON objects, not JSON at all, not UTF-8.
for (const body of ['null', '1', '"approval-timeline"', 'true', '[]', '[{"analysis":"symbol-check","symbols":["A"]}]', '0', '-1e400', `${'['.repeat(5000)}${']'.repeat(5000)}`]) {
  postJobs(`body ${cut(body)}`, body)
}
for (const body of [
  '{', '}', '{"analysis":', '{"analysis":"symbol-check",}', "{'analysis':'symbol-check'}", '{"analysis":"symbol-check"}}', 'NaN', '{"a":undefined}',
  '{"symbols":[1,2,]}', '{"a":01}', '{"a":"\u0000"}', '{"a":"\u001f"}', '{"a":"\\x41"}', '\u0000', ' ', '\r\n', '{"a":1}//', `{"a":${'{"a":'.repeat(5000)}`,
  '\ufeff\ufeff{}', '{"analysis":"symbol-check","symbols":["A"]', 'analysis=symbol-check&symbols=A'
]) {
  postJobs(`invalid JSON ${cut(JSON.stringify(body))}`, body)
}
for (const [label, bytes] of [
  ['0xFF', [0xff]], ['0xC3 0x28', [0xc3, 0x28]], ['overlong "/"', [0xc0, 0xaf]], ['UTF-8 surrogate', [0xed, 0xa0, 0x80]], ['truncated', [0xe2, 0x82]], ['0xFE 0xFF', [0xfe, 0xff]]
] as Array<[string, number[]]>) {
  const body = Buffer.concat([Buffer.from('{"analysis":"symbol-check","symbols":["A'), Buffer.from(bytes), Buffer.from('"]}')])
  postJobs(`symbol-check with invalid UTF-8 (${label})`, body)
}
postJobs('prototype pollution via __proto__', '{"analysis":"symbol-check","symbols":["A"],"__proto__":{"admin":true}}')
postJobs('prototype pollution via constructor.prototype', '{"analysis":"symbol-check","symbols":["A"],"constructor":{"prototype":{"admin":true}}}')

// A perfectly good job, sent with the wrong Content-Type: refused with 415 (400 as multipart/form-data,
// which it is not), never stored.
const goodJob = json({ analysis: 'symbol-check', symbols: ['A1BG', 'BRCA1'] })
for (const type of [
  'text/plain', 'text/html', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml',
  'application/jsonp', 'application/json-patch+json', 'application/vnd.api+json', 'application/ld+json', 'application/octet-stream',
  'application/json; charset=utf-16', 'application/json; charset=iso-8859-1', 'application/json; charset="latin1"', '', 'garbage', 'application/',
  '*/*', 'application/json\u0000', 'json'
]) {
  postJobs(`a good job as Content-Type ${JSON.stringify(type)}`, goodJob, { 'content-type': type })
}
postJobs('a good job without Content-Type', goodJob, {})
// Over BODY_LIMIT (1 MiB by default).
postJobs('1.2 MB body (a good job with padding)', json({ analysis: 'symbol-check', symbols: ['A'], pad: 'x'.repeat(1_200_000) }))
postJobs('1.5 MB of symbols', symbolCheck(Array.from({ length: 300_000 }, () => 'ABCD')))
postJobs('2 MB of invalid JSON', `{${'x'.repeat(2_000_000)}`)
postJobs('2 MB of invalid JSON as text/plain', `{${'x'.repeat(2_000_000)}`, { 'content-type': 'text/plain' })

// ---- wrong methods and unknown routes (GET / is the dashboard: paths around its files instead) ---
// (`GET /jobs/` and `POST /jobs/` are `/jobs` itself: a trailing slash reaches the same route.)
for (const [method, url] of [
  ['PUT', '/jobs'], ['PATCH', '/jobs'], ['DELETE', '/jobs'], ['DELETE', `/jobs/${NOT_FOUND_ID}`], ['POST', `/jobs/${NOT_FOUND_ID}`], ['POST', '/genes'],
  ['DELETE', '/genes'], ['POST', '/genes/HGNC:5'], ['DELETE', '/genes/HGNC:5'], ['POST', '/symbols/A1BG'], ['POST', '/health'], ['DELETE', '/health'],
  ['POST', `/results/${NOT_FOUND_ID}`], ['DELETE', `/results/${NOT_FOUND_ID}`], ['OPTIONS', '/jobs'], ['OPTIONS', '/data'], ['TRACE', '/health'],
  ['GET', '/assets/../../package.json'], ['GET', '/assets/..%2F..%2Fpackage.json'], ['GET', '/assets/.env'], ['GET', '/assets/main.js%00'],
  ['GET', '/assets/index.html'], ['GET', '/assets/'], ['POST', '/'], ['DELETE', '/assets/x.js'], ['POST', '/analyses'], ['GET', '/admin'], ['GET', '/.env'], ['GET', '/.git/config'], ['GET', '/etc/passwd'], ['GET', '/../../etc/passwd'],
  ['GET', '/%2e%2e/%2e%2e/etc/passwd'], ['GET', '/data/..%2F..%2Fetc%2Fpasswd'], ['GET', '/genes/HGNC:5/extra'], ['GET', '/genes/HGNC:5/..%2F..%2Fdata'],
  ['GET', '/jobs/../../etc/passwd'], ['GET', '/symbols'], ['GET', '/results'], ['GET', '/results/'], ['GET', '/jobs/x/'], ['GET', '/data/extra'],
  ['GET', `/${'a'.repeat(2000)}`], ['GET', '/%00'], ['GET', '/genes%00'], ['GET', '/health%00'], ['POST', '/jobs/x/'], ['POST', '/Jobs']
] as const) {
  add(`${method} ${cut(url)}`, { method, url, headers: JSON_TYPE, payload: method === 'GET' || method === 'OPTIONS' || method === 'TRACE' ? undefined : goodJob })
}

// ---- raw bytes over a real socket (inject would normalise these) -------------------------------
/** A raw request; a Content-Length is added for a body unless `length` is false. */
const raw = (requestLine: string, headers: string[] = [], body = '', length = body !== '') =>
  `${requestLine}\r\nHost: localhost\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}${length ? `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n` : ''}\r\n${body}`
for (const path of [
  '/genes/\xff\xfe', '/genes/a\x00b', '/genes/\x01', '/symbols/\xc3\x28', '/symbols/A\x01B', '/symbols/A\x7fB', '/symbols/\xed\xa0\x80', '/jobs/\x00',
  '/results/\x00', '/../../../etc/passwd', '/genes/../../../etc/passwd', '/genes/..%2f..%2fetc%2fpasswd', '/genes/%ff', '/symbols/%c0%af',
  `/jobs/${'A'.repeat(20_000)}`, '/results/..\\..\\windows\\win.ini', '/genes/HGNC:5\x00', '/data\x00', '/jobs?limit=1\x00'
]) {
  addRaw(`raw GET ${cut(JSON.stringify(path))}`, raw(`GET ${path} HTTP/1.1`))
}
addRaw('raw POST /jobs with raw invalid UTF-8', raw('POST /jobs HTTP/1.1', ['Content-Type: application/json'], '{"analysis":"symbol-check","symbols":["\xff\xfe"]}'))
addRaw('raw POST /jobs with a raw null byte in a string', raw('POST /jobs HTTP/1.1', ['Content-Type: application/json'], '{"analysis":"symbol-check","symbols":["A\x00B"]}'))
addRaw('raw POST /jobs as text/plain', raw('POST /jobs HTTP/1.1', ['Content-Type: text/plain'], goodJob))
addRaw('raw POST /jobs without Content-Type', raw('POST /jobs HTTP/1.1', [], goodJob))
addRaw('raw POST /jobs with Content-Length and Transfer-Encoding', raw('POST /jobs HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked'], `${goodJob.length.toString(16)}\r\n${goodJob}\r\n0\r\n\r\n`))
const chunkedJson = ['Content-Type: application/json', 'Transfer-Encoding: chunked']
addRaw('raw POST /jobs with a bad chunk size', raw('POST /jobs HTTP/1.1', chunkedJson, 'zz\r\n{}\r\n0\r\n\r\n', false))
addRaw('raw POST /jobs chunked, invalid JSON', raw('POST /jobs HTTP/1.1', chunkedJson, '3\r\n{"a\r\n0\r\n\r\n', false))
addRaw('raw POST /jobs with a negative Content-Length', raw('POST /jobs HTTP/1.1', ['Content-Type: application/json', 'Content-Length: -5'], '{}', false))
addRaw('raw POST /jobs with a control character in a header', raw('POST /jobs HTTP/1.1', ['Content-Type: application/json', 'X-Evil: a\x01b'], goodJob))
addRaw('raw GET with a header name containing a space', raw('GET /genes/HGNC:5 HTTP/1.1', ['Bad Header: x']))
addRaw('raw POST /data without a token', raw('POST /data HTTP/1.1'))
addRaw('raw DELETE /data with a control character in the token', raw('DELETE /data HTTP/1.1', [`Authorization: Bearer ${TOKEN}\x01`]))
addRaw('raw DELETE /data with a wrong token', raw('DELETE /data HTTP/1.1', ['Authorization: Bearer not-the-token-0000']))
addRaw('raw unknown method', raw('FROB /genes HTTP/1.1'))
addRaw('raw request line with spaces in the path', raw('GET /genes/HGNC 5 HTTP/1.1'))
addRaw('raw 40 KB header', raw('GET /genes/HGNC:5 HTTP/1.1', [`X-Big: ${'b'.repeat(40_000)}`]))

/** Decodes like the router does, or returns '' for a segment that cannot be decoded. */
function decodeURIComponentSafe (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return ''
  }
}

/** Writes raw bytes to the server and reads the whole answer (the server closes the connection). */
async function sendRaw (port: number, bytes: Buffer): Promise<Answer> {
  const data = await new Promise<Buffer>((resolve, reject) => {
    const socket = new Socket()
    const chunks: Buffer[] = []
    socket.setTimeout(10_000, () => { socket.destroy(new Error('no answer within 10 s')) })
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may reset the connection right after its error answer: keep what arrived.
      if (err.code === 'ECONNRESET' && chunks.length > 0) resolve(Buffer.concat(chunks))
      else reject(err)
    })
    socket.on('close', () => resolve(Buffer.concat(chunks)))
    socket.connect(port, '127.0.0.1', () => socket.end(bytes))
  })
  const text = data.toString('utf8')
  const split = text.indexOf('\r\n\r\n')
  const head = split === -1 ? text : text.slice(0, split)
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  let body = split === -1 ? '' : text.slice(split + 4)
  const length = Number(headers['content-length'])
  if (Number.isInteger(length)) body = Buffer.from(body).subarray(0, length).toString('utf8')
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), contentType: headers['content-type'], body }
}

/** Why an answer is not a proper 4xx JSON error; undefined when it is one. */
function problemWith (answer: Answer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}`
  if (!/^application\/json/.test(answer.contentType ?? '')) return `content-type ${String(answer.contentType)}`
  let body: unknown
  try {
    body = JSON.parse(answer.body)
  } catch {
    return `body is not JSON: ${cut(answer.body)}`
  }
  const { statusCode, error, message, ...rest } = body as Record<string, unknown>
  if (statusCode !== answer.status) return `body statusCode ${String(statusCode)} != ${answer.status}`
  if (typeof error !== 'string' || error === '') return 'no error'
  if (typeof message !== 'string' || message === '') return 'no message'
  if (Object.keys(rest).length > 0) return `extra fields ${Object.keys(rest).join(', ')}`
  return undefined
}

t.test('hostile input: every malformed request gets a 4xx JSON error and changes nothing', async (t) => {
  const { app, redis } = await buildTestApp(t, { API_ADMIN_TOKEN: TOKEN, RATE_LIMIT_JOBS_PER_MINUTE: '0', RATE_LIMIT_HEAVY_PER_MINUTE: '0' })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0

  // Data to protect: the gene set and one real job (with its queue entry).
  t.equal((await app.inject({ method: 'POST', url: '/data', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 201)
  const job = await app.inject({ method: 'POST', url: '/jobs', headers: JSON_TYPE, payload: json({ analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' }) })
  t.equal(job.statusCode, 201)
  const before = await redis.snapshot()
  t.ok(Object.keys(before).some((key) => key.startsWith('genes/')) && Object.keys(before).some((key) => key.startsWith('jobs/')), 'gene and job keys exist')

  const statuses = new Map<number, number>()
  const failures: string[] = []
  let viaSocket = 0
  for (const c of cases) {
    let answer: Answer
    if ('raw' in c) {
      answer = await sendRaw(port, c.raw)
      viaSocket++
    } else {
      const res = await app.inject(c.inject)
      answer = { status: res.statusCode, contentType: res.headers['content-type'] as string | undefined, body: res.body }
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
    const problem = problemWith(answer)
    if (problem !== undefined) failures.push(`${c.name}: ${problem}`)
  }

  const total = cases.length
  const count = (low: number, high: number) => [...statuses].filter(([status]) => status >= low && status <= high).reduce((sum, [, n]) => sum + n, 0)
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ')
  t.comment(`hostile input: ${total} requests (${total - viaSocket} via inject, ${viaSocket} raw over a socket); 4xx ${count(400, 499)}, 5xx ${count(500, 599)}, other ${total - count(400, 599)}; by status ${byStatus}`)
  t.ok(total >= 300, `at least 300 requests (${total})`)
  t.same(failures, [], 'every answer is a 4xx JSON error { statusCode, error, message }')
  t.equal(count(500, 599), 0, 'no 5xx')
  t.equal(count(400, 499), total, 'all 4xx')

  t.same(await redis.snapshot(), before, 'Redis holds exactly what it held before')
  const health = await app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 200, 'still healthy')
  t.same(health.json(), { status: 'ok', redis: 'up', genes: 8 })
  const overSocket = await fetch(`http://127.0.0.1:${port}/jobs/${job.json().id as string}`)
  t.equal(overSocket.status, 200, 'the server still answers over the network, and the job is intact')
  t.equal(((await overSocket.json()) as { status: string }).status, 'submitted')
})
