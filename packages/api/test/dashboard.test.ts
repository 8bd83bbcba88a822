// The dashboard as the API serves it (inject): the page under its own CSP, assets compressed at
// build time, and a first load within 150 KB compressed. The browser tests are in packages/dashboard.
import { brotliDecompressSync } from 'node:zlib'
import t from 'tap'
import { buildTestApp } from './helper.js'
import { DASHBOARD_CSP } from '../src/plugins/dashboard.js'

const { app } = await buildTestApp(t)

t.test('GET / is the dashboard page, under its own strict CSP', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.equal(res.headers['content-security-policy'], DASHBOARD_CSP)
  t.notMatch(DASHBOARD_CSP, /unsafe-(inline|eval)/)
  t.match(res.body, /<div id="app"><\/div>/)
  t.match(res.body, /<script type="module" src="\/assets\/main-[A-Z0-9]+\.js"><\/script>/)
  t.notMatch(res.body, /<script>|<style|style=|https?:\/\//, 'no inline script or style, nothing from another origin')
  t.equal(res.headers['cache-control'], 'no-cache')
  // API routes keep their JSON-only policy.
  t.equal((await app.inject({ method: 'GET', url: '/health' })).headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
})

/** Every file the first page load fetches: the page, its stylesheet and script, and the script's static imports. */
async function firstLoad (): Promise<Array<{ url: string, bytes: number, encoding: string }>> {
  const files: Array<{ url: string, bytes: number, encoding: string }> = []
  const seen = new Set<string>()
  const queue = ['/']
  while (queue.length > 0) {
    const url = queue.shift() as string
    if (seen.has(url)) continue
    seen.add(url)
    const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    files.push({ url, bytes: res.rawPayload.length, encoding: String(res.headers['content-encoding']) })
    const text = brotliDecompressSync(res.rawPayload).toString('utf8')
    for (const [, asset] of text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) queue.push(asset ?? '')
    // Static imports of a module (`import{..}from"./chunk-X.js"`); dynamic `import("./chart-X.js")` loads on demand.
    for (const [, chunk] of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) queue.push(`/assets/${chunk ?? ''}`)
  }
  return files
}

t.test('the first page load is at most 150 KB compressed, every file brotli-compressed', async (t) => {
  const files = await firstLoad()
  t.ok(files.some((file) => /\/assets\/main-.*\.js$/.test(file.url)), files.map((file) => file.url).join(', '))
  t.ok(files.some((file) => /\.css$/.test(file.url)))
  for (const file of files) t.equal(file.encoding, 'br', `${file.url} is served brotli-compressed`)
  const total = files.reduce((sum, file) => sum + file.bytes, 0)
  t.comment(`first load: ${files.map((file) => `${file.url} ${file.bytes} B`).join(', ')}; total ${(total / 1024).toFixed(1)} KB`)
  t.ok(total <= 150 * 1024, `first load is ${(total / 1024).toFixed(1)} KB compressed`)
  t.notOk(files.some((file) => /\/chart-/.test(file.url)), 'the chart library is not part of the first load')
})

t.test('assets: cached for a year, gzip for clients without brotli, unknown files 404 in the one error shape', async (t) => {
  const page = (await app.inject({ method: 'GET', url: '/' })).body
  const script = /src="(\/assets\/[^"]+)"/.exec(page)?.[1] ?? ''
  const gz = await app.inject({ method: 'GET', url: script, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.statusCode, 200)
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.match(gz.headers['content-type'], /javascript/)
  t.match(gz.headers['cache-control'], /max-age=31536000.*immutable/)
  const missing = await app.inject({ method: 'GET', url: '/assets/nope.js' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { statusCode: 404, error: 'Not Found', message: 'Route GET /assets/nope.js not found' })
  const escape = await app.inject({ method: 'GET', url: '/assets/../../package.json' })
  t.equal(escape.statusCode, 404)
})
