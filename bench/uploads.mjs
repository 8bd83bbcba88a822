// Group "uploads" (issue 13): a 200,000-symbol file uploaded to `POST /jobs` as multipart/form-data
// and checked by symbol-check, through the real API and one real worker process, on the loaded real
// set. The symbols are generated from the data file at bench time (never stored): approved,
// previous, alias and withdrawn symbols in mixed case, and made-up ones that match nothing.
import { gzipSync } from 'node:zlib'
import { readHgncDocs, seededRandom, varyCase } from './analyses.mjs'
import { MB, measured, notRun, pollUntil, progress, withScope } from './lib.mjs'
import { canSampleRss, sampleRss, startStack } from './services.mjs'

const GROUP = 'uploads'
const SYMBOLS = 200_000
const FORMS = [
  { label: 'text file', filename: 'symbols.txt', type: 'text/plain', encode: (symbols) => Buffer.from(`${symbols.join('\n')}\n`) },
  { label: 'gzipped CSV, column by name', filename: 'symbols.csv.gz', type: 'application/gzip', column: 'Gene symbol', encode: (symbols) => gzipSync(`"Gene symbol",row\n${symbols.map((symbol, i) => `"${symbol}",${i + 1}`).join('\n')}\n`) }
]
const TIME_TARGET = { op: '<=', value: 5000 }
const RSS_TARGET = { op: '<=', value: 150 }

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  const names = FORMS.flatMap((form) => [
    { name: `symbol-check upload, ${SYMBOLS.toLocaleString('en-US')} symbols, ${form.label}: submit to complete`, unit: 'ms', target: TIME_TARGET },
    { name: 'the same: worker RSS growth (peak minus before)', unit: 'MB', target: RSS_TARGET }
  ])
  if (data.reason !== undefined) return names.map((row) => notRun({ group: GROUP, ...row, reason: data.reason }))
  const docs = readHgncDocs(data.path)
  if (docs.reason !== undefined) return names.map((row) => notRun({ group: GROUP, ...row, reason: docs.reason }))
  const symbols = mixOfSymbols(docs.docs, SYMBOLS)
  docs.docs = undefined
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { workers: 1, hgncSource: data.path })
    await stack.loadData()
    const worker = stack.workers[0]
    const rows = []
    for (const form of FORMS) {
      const file = form.encode(symbols)
      const warmUp = await uploadJob(stack, form, file)
      const times = []
      const growths = []
      let progressSeen = []
      for (let i = 1; i <= settings.runs; i++) {
        const rss = canSampleRss() ? sampleRss(worker.child.pid) : undefined
        const result = await uploadJob(stack, form, file)
        const memory = rss?.stop()
        times.push(result.ms)
        if (memory !== undefined) growths.push(memory.growth / MB)
        progressSeen = result.progress
        progress(GROUP, `${form.label} run ${i}/${settings.runs}: ${Math.round(result.ms)} ms${memory !== undefined ? `, worker RSS +${(memory.growth / MB).toFixed(1)} MB` : ''}`)
      }
      const size = `${(file.length / MB).toFixed(1)} MB file`
      rows.push(measured({ group: GROUP, ...names[rows.length], values: times, note: `${size}; warm-up ${Math.round(warmUp.ms)} ms; progress seen ${progressSeen.join(' ')}` }))
      rows.push(growths.length > 0
        ? measured({ group: GROUP, ...names[rows.length], values: growths })
        : notRun({ group: GROUP, ...names[rows.length], status: 'n/a', reason: 'no /proc to read the RSS from' }))
    }
    return rows
  })
}

/**
 * Uploads `file` and polls `GET /jobs/:id` every 5 ms until the job is complete. Returns the
 * submit-to-complete time and the distinct progress values seen on the way.
 */
async function uploadJob (stack, form, file) {
  const body = new FormData()
  body.append('analysis', 'symbol-check')
  if (form.column !== undefined) body.append('column', form.column)
  body.append('file', new Blob([file], { type: form.type }), form.filename)
  const started = performance.now()
  const response = await fetch(`${stack.api.baseUrl}/jobs`, { method: 'POST', body, signal: AbortSignal.timeout(60_000) })
  const submitted = await response.json()
  if (response.status !== 201) throw new Error(`POST /jobs (upload) answered ${response.status}: ${JSON.stringify(submitted).slice(0, 500)}`)
  if (submitted.params?.upload?.identifiers !== SYMBOLS) throw new Error(`the upload was read as ${JSON.stringify(submitted.params)}`)
  const seen = []
  const job = await pollUntil(async () => {
    const { status, body: current } = await stack.request('GET', `/jobs/${submitted.id}`)
    if (status !== 200) throw new Error(`GET /jobs/${submitted.id} answered ${status}`)
    if (current.progress !== undefined && seen.at(-1) !== current.progress) seen.push(current.progress)
    if (current.status === 'complete' || current.status === 'failed') return current
    stack.assertRunning()
    return undefined
  }, { timeoutMs: 120_000, intervalMs: 5, what: `upload job ${submitted.id} to finish` })
  if (job.status !== 'complete') throw new Error(`the upload job failed: ${job.error}`)
  return { ms: performance.now() - started, progress: seen }
}

/**
 * `count` symbols as a spreadsheet column might hold them, drawn with repeats: 40% approved, 20%
 * previous, 20% alias, 5% withdrawn symbols (each in varied case) and 15% made-up ones, shuffled
 * by a seeded PRNG (the same list on every run).
 */
function mixOfSymbols (docs, count) {
  const valid = (symbol) => typeof symbol === 'string' && /^[!-~]{1,64}$/.test(symbol)
  const pools = { approved: [], previous: [], alias: [], withdrawn: [] }
  for (const doc of docs) {
    if (valid(doc.symbol)) (doc.status === 'Approved' ? pools.approved : pools.withdrawn).push(doc.symbol)
    for (const symbol of doc.prev_symbol ?? []) if (valid(symbol)) pools.previous.push(symbol)
    for (const symbol of doc.alias_symbol ?? []) if (valid(symbol)) pools.alias.push(symbol)
  }
  const random = seededRandom(20_261_130)
  const pick = (pool) => pool[Math.floor(random() * pool.length)]
  const symbols = []
  for (let i = 0; i < count; i++) {
    const r = random()
    const pool = r < 0.4 ? pools.approved : r < 0.6 ? pools.previous : r < 0.8 ? pools.alias : r < 0.85 ? pools.withdrawn : undefined
    symbols.push(pool === undefined ? `ZQX${Math.floor(random() * 1e6).toString(36).toUpperCase()}` : varyCase(pick(pool), random))
  }
  return symbols
}
