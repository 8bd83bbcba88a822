// The real stack the browser tests drive (redis-server, the API, one worker, as processes) and
// Debian's chromium through playwright-core, with the page's console errors collected.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
import { fixturePath, freePort, realDataPath, startRedisServer, startService, waitFor, type ServiceProcess } from '@genejobs/test-support'

/** Debian's chromium (`apt-get install chromium`); the tests never download a browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
/** The admin token the test API runs with. */
export const ADMIN_TOKEN = 'dashboard-test-token-0123456789'

/** A running stack and a browser on it. */
export interface BrowserStack {
  baseUrl: string
  browser: Browser
  worker: ServiceProcess
  api: ServiceProcess
  /** Which gene data the API loads: the real HGNC set when present, else the fixture. */
  data: 'real' | 'fixture'
  /** Calls the API from the test (JSON in and out). */
  http: (method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number, body: any }>
}

/** Starts redis-server, the API (test analyses on, an admin token) and one worker, then chromium; teardown on `t`. */
export async function startBrowserStack (t: { teardown: (fn: () => Promise<void>) => void }): Promise<BrowserStack> {
  const real = realDataPath('hgnc_complete_set.json.gz')
  const redis = await startRedisServer({ appendOnly: false })
  const port = await freePort()
  const env = {
    ...redis.env,
    HGNC_SOURCE: 'path' in real ? real.path : fixturePath('genes.json'),
    PORT: String(port),
    HOST: '127.0.0.1',
    API_ADMIN_TOKEN: ADMIN_TOKEN,
    ENABLE_TEST_ANALYSES: 'true',
    LOG_LEVEL: 'warn'
  }
  const api = startService('api', env)
  const worker = startService('worker', { ...env, LOG_LEVEL: 'info' })
  const browser = await chromium.launch({ executablePath: CHROMIUM })
  t.teardown(async () => {
    await browser.close()
    await Promise.all([api.stop('SIGKILL'), worker.stop('SIGKILL')])
    await redis.stop()
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const http = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`
    const res = await fetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = await res.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch {}
    return { status: res.status, body: parsed as any }
  }
  await waitFor(async () => (await http('GET', '/health').catch(() => ({ status: 0 }))).status === 200, { timeoutMs: 60_000, what: 'the API to answer /health' })
  await worker.waitForLog((line) => line.msg === 'worker started', 'worker started', 30_000)
  return { baseUrl, browser, worker, api, data: 'path' in real ? 'real' : 'fixture', http }
}

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing (): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
}

/**
 * Console messages the dashboard causes on purpose: the browser reports every 4xx answer (the bad
 * form value, the refused admin action, a missing route probed) and, on an API without
 * `GET /jobs/:id/events`, the EventSource that falls back to polling.
 */
const EXPECTED_CONSOLE = [
  /^Failed to load resource: the server responded with a status of (400|401|403|404)/,
  /^EventSource's response has a MIME type \("application\/json"\) that is not "text\/event-stream"/
]

/** A page whose console errors and uncaught exceptions are collected in `errors` (expected ones left out). */
export async function openPage (browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ page: Page, errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED_CONSOLE.some((pattern) => pattern.test(message.text()))) errors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => { errors.push(`page error: ${error.message}`) })
  return { page, errors }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function seriousViolations (page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) still holds.
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: Array<{ id: string, impact: string, help: string, nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)
}
