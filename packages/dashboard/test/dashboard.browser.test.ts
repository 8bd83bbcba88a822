// The dashboard in a real browser (Debian's chromium via playwright-core) against real processes:
// redis-server, the API and one worker; the real HGNC data when present, else the fixture.
import { readFile } from 'node:fs/promises'
import t, { type Test } from 'tap'
import { waitFor } from '@genejobs/test-support'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN, browserMissing, openPage, seriousViolations, startBrowserStack } from './browser-stack.js'

const missing = browserMissing()
if (missing !== undefined) {
  t.comment(`skipping the browser tests: ${missing}`)
  t.pass('skipped: ' + missing, { skip: missing })
} else {
  await run()
}

async function run (): Promise<void> {
  const stack = await startBrowserStack(t)
  const { page, errors } = await openPage(stack.browser)
  const visit = async (hash: string): Promise<void> => {
    await page.goto(`${stack.baseUrl}/${hash}`)
    await page.locator('h1').first().waitFor()
  }
  /** Checks the page as it is: no serious axe violation, no console error so far. */
  const checkPage = async (t: Test, what: string): Promise<void> => {
    t.same(await seriousViolations(page), [], `${what}: axe finds no serious or critical violation`)
    t.same(errors.splice(0), [], `${what}: no console errors`)
  }
  // Routes other branches add: present unless the API answers "Route ... not found".
  const routeExists = async (path: string): Promise<boolean> => {
    const res = await stack.http('GET', path)
    return !(res.status === 404 && /^Route /.test(String(res.body?.message)))
  }
  const hasQueue = await routeExists('/queue')
  const hasEvents = await routeExists('/jobs/00000000-0000-4000-8000-000000000000/events')
  // Read before the first subtest: tap ends the file's root test once it sits idle between two
  // subtests for a couple of timer ticks, so no request may run there.
  const analyses = ((await stack.http('GET', '/analyses')).body.analyses as Array<{ name: string, schema: { properties: Record<string, { type?: string, enum?: unknown[] }>, required?: string[], examples?: Array<Record<string, unknown>> } }>)
    .filter((analysis) => !analysis.name.startsWith('test-'))
  const streams: string[] = []
  page.on('request', (request) => { if (/\/jobs\/[0-9a-f-]{36}\/events$/.test(request.url())) streams.push(request.url()) })
  t.comment(`data: ${stack.data}; GET /queue ${hasQueue ? 'present' : 'absent'}; GET /jobs/:id/events ${hasEvents ? 'present' : 'absent (the page polls)'}`)

  await t.test('status: admin actions are unavailable without the token, refused with a wrong one, and load data with the right one', async (t) => {
    await visit('#/status')
    await page.getByText('No gene data is loaded.').waitFor()
    t.ok(await page.getByRole('button', { name: 'Load data' }).isDisabled(), 'Load data is disabled without a token')
    t.ok(await page.getByRole('button', { name: 'Delete data' }).isDisabled(), 'Delete data is disabled without a token')
    t.match(await page.locator('#admin-unavailable').textContent(), /Unavailable: needs the admin token/)
    await checkPage(t, 'status page')
    await page.getByLabel('Admin token').fill('wrong-token-0123456789')
    await page.getByRole('button', { name: 'Use token' }).click()
    await page.getByRole('button', { name: 'Load data' }).click()
    t.match(await page.getByRole('alert').textContent(), /admin token/i, 'the API refuses a wrong token, and the page says so')
    t.equal((await stack.http('GET', '/data/info')).status, 404, 'nothing was loaded')
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Use token' }).click()
    t.equal(await page.evaluate(() => sessionStorage.getItem('genejobs-admin-token')), ADMIN_TOKEN, 'the token is in sessionStorage')
    t.equal(await page.evaluate(() => localStorage.length), 0, 'and not in localStorage')
    await page.getByRole('button', { name: 'Load data' }).click()
    await page.getByText(/^loaded \d+ genes from/).waitFor({ timeout: 180_000 })
    const info = (await stack.http('GET', '/data/info')).body
    await page.getByText(info.genes.toLocaleString('en'), { exact: true }).waitFor()
    t.ok(info.genes > 0, `${info.genes} genes loaded through the page`)
    errors.splice(0) // the refused load's 403 is expected
  })

  await t.test('genes: search BRCA1 and open its page', async (t) => {
    await visit('#/genes')
    await checkPage(t, 'genes page')
    await page.getByLabel(/^Search by symbol/).fill('BRCA1')
    await page.getByLabel(/^Search by symbol/).press('Enter')
    const link = page.getByRole('link', { name: 'BRCA1', exact: true })
    await link.waitFor()
    await checkPage(t, 'search results')
    await link.click()
    await page.getByRole('heading', { level: 1, name: /^BRCA1: / }).waitFor()
    const record = (await stack.http('GET', '/genes/HGNC:1100')).body
    const text = await page.locator('dl.record').textContent() ?? ''
    t.match(text, /HGNC idHGNC:1100StatusApproved/, 'id and status')
    t.match(text, String(record.location), 'location')
    t.match(text, String(record.locus_group), 'locus group')
    for (const alias of record.alias_symbol ?? []) t.match(text, alias, `alias ${String(alias)}`)
    if (record.entrez_id !== undefined) {
      t.equal(await page.getByRole('link', { name: String(record.entrez_id), exact: true }).getAttribute('href'), `https://www.ncbi.nlm.nih.gov/gene/${String(record.entrez_id)}`, 'cross-reference links to its database')
    }
    await page.getByRole('button', { name: 'Show JSON' }).click()
    t.same(JSON.parse(await page.locator('#gene-json').textContent() ?? ''), record, 'the JSON view is the record')
    await checkPage(t, 'gene page')
  })

  const done: Record<string, string> = {}

  await t.test('analyses: each form submits a job, whose progress finishes and whose chart appears', async (t) => {
    for (const analysis of analyses) {
      await visit(`#/analyses/${analysis.name}`)
      if (analysis === analyses[0]) await checkPage(t, 'analyses page')
      for (const [name, property] of Object.entries(analysis.schema.properties)) {
        if (name === 'analysis' || !(analysis.schema.required ?? []).includes(name)) continue
        const input = page.locator(`#field-${analysis.name}-${name}`)
        if (property.type === 'array') {
          // A list can come from a text file, read in the browser.
          await page.locator(`.field:has(#field-${analysis.name}-${name}) input[type=file]`).setInputFiles({ name: 'symbols.txt', mimeType: 'text/plain', buffer: Buffer.from('BRCA1\nTP53\nnot-a-gene-x\nbrca1\n') })
          await page.waitForFunction((id) => (document.getElementById(id) as HTMLTextAreaElement | null)?.value.startsWith('BRCA1\nTP53') === true, `field-${analysis.name}-${name}`)
        } else if (name.endsWith('_start')) await input.fill('1')
        else if (name.endsWith('_end')) await input.fill('HGNC:60000')
        else if (property.enum !== undefined) {
          // A choice: the value the analysis's own example request uses, else the first one.
          await input.selectOption(String(analysis.schema.examples?.[0]?.[name] ?? property.enum[0]))
        } else t.comment(`${analysis.name}: no test value for the required field ${name}`)
      }
      await page.getByRole('button', { name: `Run ${analysis.name}` }).click()
      await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/)
      const id = /#\/jobs\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? ''
      await page.locator('.badge-complete').first().waitFor({ timeout: 120_000 })
      t.equal(await page.getByRole('progressbar', { name: 'job progress' }).getAttribute('value'), '100', `${analysis.name}: progress reaches 100`)
      await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('figure.chart img')?.naturalWidth ?? 0) > 0, undefined, { timeout: 30_000 })
      t.pass(`${analysis.name}: job ${id} complete, its chart shown`)
      done[analysis.name] = id
    }
    if (hasEvents) t.ok(streams.length > 0, `the job pages followed GET /jobs/:id/events (${streams.length} streams)`)
    else t.comment(`no GET /jobs/:id/events here: the job pages tried it ${streams.length} times and polled instead`)
    await checkPage(t, 'job page')
  })

  await t.test('job page: the interactive chart loads on demand, rows are paged, the CSV download has the rows', async (t) => {
    const id = done['symbol-check'] ?? Object.values(done)[0] ?? ''
    await visit(`#/jobs/${id}`)
    await page.locator('figure.chart img').waitFor()
    await page.getByRole('button', { name: /^Interactive chart/ }).click()
    await page.locator('.interactive canvas').waitFor({ timeout: 60_000 })
    t.pass('the Vega view rendered (no eval: the CSP allows none)')
    const result = (await stack.http('GET', `/results/${id}?format=json`)).body
    t.match(await page.getByRole('heading', { name: /^Rows/ }).textContent(), `(${result.rows.length as number})`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()])
    const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/)
    t.equal(csv.length, result.rows.length + 1, 'a header line and one line per row')
    t.match(download.suggestedFilename(), new RegExp(`-${id.slice(0, 8)}\\.csv$`), 'named by the API')
    if (result.rows[0]?.input !== undefined) t.match(csv[1], String(result.rows[0].input), 'the first row is the first input')
    await checkPage(t, 'job page with the interactive chart')
  })

  await t.test('a bad form value shows the API\'s message next to the field', async (t) => {
    await visit('#/analyses/approval-timeline')
    await page.locator('#field-approval-timeline-hgnc_id_start').fill('abc')
    await page.locator('#field-approval-timeline-hgnc_id_end').fill('10')
    const before = (await stack.http('GET', '/jobs?limit=1000')).body.jobs.length
    await page.getByRole('button', { name: 'Run approval-timeline' }).click()
    const message = page.locator('#field-approval-timeline-hgnc_id_start-error')
    await message.waitFor()
    const api = await stack.http('POST', '/jobs', { analysis: 'approval-timeline', hgnc_id_start: 'abc', hgnc_id_end: '10' })
    t.equal(await message.textContent(), api.body.message, 'the message is the API\'s own')
    t.match(api.body.message, /^body\/hgnc_id_start must be/)
    t.equal(await page.locator('#field-approval-timeline-hgnc_id_start').getAttribute('aria-invalid'), 'true')
    t.equal((await stack.http('GET', '/jobs?limit=1000')).body.jobs.length, before, 'no job was stored')
    errors.splice(0) // the 400s are expected
    t.same(await seriousViolations(page), [], 'the form with an error: no serious axe violation')
  })

  await t.test('jobs list: status filter and progress bars', async (t) => {
    await visit('#/jobs')
    await page.locator('table.jobs tbody tr').first().waitFor()
    t.equal(await page.locator('table.jobs tbody tr').count(), Object.keys(done).length)
    await page.getByLabel('Status').selectOption('failed')
    await page.getByText('No jobs with status failed yet.').waitFor()
    await checkPage(t, 'jobs page')
  })

  await t.test('status: the worker, a failed job with its reason, and Retry runs it again', async (t) => {
    const failed = (await stack.http('POST', '/jobs', { analysis: 'test-throw', unrecoverable: true })).body
    await waitFor(async () => (await stack.http('GET', `/jobs/${failed.id as string}`)).body.status === 'failed', { timeoutMs: 30_000, what: 'the test-throw job to fail' })
    await visit('#/status')
    const item = page.locator('ul.failed li', { hasText: failed.id.slice(0, 8) })
    await item.waitFor()
    t.match(await item.textContent(), (await stack.http('GET', `/jobs/${failed.id as string}`)).body.error, 'the failure reason is shown')
    if (!hasQueue) {
      t.comment('GET /queue is not on this branch: the worker list and Retry are not checked (they run once the queue routes are merged)')
      t.equal(await item.getByRole('button', { name: 'Retry' }).count(), 0, 'no Retry button where the API has no retry route')
      await checkPage(t, 'status page with a failed job')
      return
    }
    await page.locator('ul.workers li').first().waitFor()
    t.match(await page.locator('ul.workers').textContent(), /heartbeat \d+ (s|min) ago/, 'the worker and its heartbeat age')
    await checkPage(t, 'status page with a failed job')
    const before = (await stack.http('GET', `/jobs/${failed.id as string}`)).body
    await item.getByRole('button', { name: 'Retry' }).click()
    await page.getByText(/^Retrying job [0-9a-f]{8}: done/).waitFor()
    // test-throw fails again at once: the retry shows as a new failure time (or the job caught running).
    const after = await waitFor(async () => {
      const job = (await stack.http('GET', `/jobs/${failed.id as string}`)).body
      return job.status !== 'failed' || job.finished_at !== before.finished_at ? job : undefined
    }, { timeoutMs: 30_000, what: 'the retried job to run again' })
    t.pass(`Retry ran the job again (now ${String(after.status)}, finished ${String(after.finished_at)}, before ${String(before.finished_at)})`)
  })

  await t.test('375 px wide: no page scrolls sideways, and the keyboard reaches the sections', async (t) => {
    const small = await openPage(stack.browser, { width: 375, height: 800 })
    for (const hash of ['#/genes?q=BRCA1', '#/genes/HGNC:1100', '#/analyses', '#/jobs', `#/jobs/${Object.values(done)[0] ?? ''}`, '#/status']) {
      await small.page.goto(`${stack.baseUrl}/${hash}`)
      await small.page.locator('h1').first().waitFor()
      await small.page.waitForLoadState('networkidle')
      const width = await small.page.evaluate(() => document.documentElement.scrollWidth)
      t.ok(width <= 375, `${hash}: ${width} px wide`)
    }
    await keyboard(t, small.page)
    t.same(small.errors, [], 'no console errors')
    await small.page.context().close()
  })
}

async function keyboard (t: Test, page: Page): Promise<void> {
  const url = page.url().replace(/#.*$/, '#/genes')
  await page.goto('about:blank')
  await page.goto(url)
  await page.locator('h1').waitFor()
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab reaches the skip link')
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(() => document.activeElement?.textContent) === 'Analyses') break
  }
  await page.keyboard.press('Enter')
  await page.waitForURL(/#\/analyses$/)
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
  t.pass('Enter on a section link opens it and moves focus to its heading')
}
