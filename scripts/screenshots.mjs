#!/usr/bin/env node
// `pnpm screenshots`: screenshots of every dashboard page, desktop (1280 px) and phone (375 px),
// into docs/screenshots/. Starts its own redis-server, the API and one worker (the real HGNC data
// when found, else the test fixture), loads the data, runs a few jobs (one of them fails: it is
// queued, the data deleted, then the worker starts), then drives Debian's chromium (CHROMIUM_PATH,
// default /usr/bin/chromium) with playwright-core.
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { fixturePath, freePort, realDataPath, startRedisServer, startService, waitFor } from '@genejobs/test-support'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'docs/screenshots')
const token = 'screenshots-admin-token-0123456789'
const say = (message) => process.stderr.write(`screenshots: ${message}\n`)

const real = realDataPath('hgnc_complete_set.json.gz')
const redis = await startRedisServer({ appendOnly: false })
const port = await freePort()
const env = { ...redis.env, HGNC_SOURCE: 'path' in real ? real.path : fixturePath('genes.json'), PORT: String(port), HOST: '127.0.0.1', API_ADMIN_TOKEN: token, LOG_LEVEL: 'warn' }
const api = startService('api', env)
let worker
const base = `http://127.0.0.1:${port}`
const call = async (method, path, body) => {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  return await res.json()
}
let browser
try {
  await waitFor(async () => (await fetch(`${base}/health`).catch(() => ({ status: 0 }))).status === 200, { timeoutMs: 60_000, what: 'the API' })
  say(`loading ${env.HGNC_SOURCE}`)
  await call('POST', '/data')
  // A job that fails the way it does in real life: its data is deleted before a worker takes it.
  const failing = await call('POST', '/jobs', { analysis: 'locus-types', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100' })
  await call('DELETE', '/data')
  worker = startService('worker', env)
  await waitFor(async () => (await call('GET', `/jobs/${failing.id}`)).status === 'failed', { timeoutMs: 60_000, what: 'the job without data to fail' })
  await call('POST', '/data')
  const jobs = [
    await call('POST', '/jobs', { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' }),
    await call('POST', '/jobs', { analysis: 'symbol-check', symbols: ['BRCA1', 'TP53', 'p53', 'FAM123A', 'NOT-A-GENE', 'brca2'] })
  ]
  await waitFor(async () => {
    const states = await Promise.all(jobs.map(async (job) => (await call('GET', `/jobs/${job.id}`)).status))
    return states.every((status) => status === 'complete' || status === 'failed')
  }, { timeoutMs: 120_000, what: 'the jobs to finish' })
  await mkdir(out, { recursive: true })
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
  // Each page and what shows that it has loaded.
  const pages = [
    ['genes', '#/genes?q=BRCA1', 'ul.hits li'],
    ['gene', '#/genes/HGNC:1100', 'dl.record'],
    ['analyses', '#/analyses/symbol-check', 'form.analysis'],
    ['jobs', '#/jobs', 'table.jobs'],
    ['job', `#/jobs/${jobs[0].id}`, 'figure.chart img'],
    ['status', '#/status', 'ul.failed li']
  ]
  for (const [size, viewport] of [['desktop', { width: 1280, height: 900 }], ['mobile', { width: 375, height: 812 }]]) {
    const context = await browser.newContext({ viewport })
    const page = await context.newPage()
    for (const [name, hash, ready] of pages) {
      await page.goto('about:blank')
      await page.goto(`${base}/${hash}`)
      await page.locator(ready).first().waitFor()
      await page.waitForLoadState('networkidle')
      if (name === 'job') await page.waitForFunction(() => (document.querySelector('figure.chart img')?.naturalWidth ?? 0) > 0)
      const file = join(out, `${name}-${size}.png`)
      await page.screenshot({ path: file })
      say(`wrote ${file}`)
    }
    await context.close()
  }
} finally {
  await browser?.close()
  await Promise.all([api.stop('SIGKILL'), worker?.stop('SIGKILL')])
  await redis.stop()
}
