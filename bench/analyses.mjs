// Group "analyses" (issue 4): every analysis, submit to complete through the real API and one real
// worker process (result rendering included), on the loaded real set. The list below is the only
// thing to extend when an analysis is added; one the API does not know yet (400) is reported as
// "not available" instead of failing the run.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { measured, notRun, progress, withScope } from './lib.mjs'
import { runJob, startStack } from './services.mjs'

const GROUP = 'analyses'
const TARGET = { op: '<=', value: 500 }
/** The symbols of the JSON symbol-check job (issue 4's size; 200,000-symbol uploads are the uploads group). */
const SYMBOL_CHECK_SYMBOLS = 5000

/** Each analysis benchmarked: a label and its `POST /jobs` body (a function when built from the data). */
const ANALYSES = [
  { label: 'approval-timeline, full range', body: { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:100000' } },
  { label: 'locus-types, full range', body: { analysis: 'locus-types', hgnc_id_start: '1', hgnc_id_end: '100000' } },
  { label: 'chromosomes, full range', body: { analysis: 'chromosomes', hgnc_id_start: '1', hgnc_id_end: '100000' } },
  {
    label: `symbol-check, ${SYMBOL_CHECK_SYMBOLS.toLocaleString('en-US')} symbols`,
    body: (docs) => ({ analysis: 'symbol-check', symbols: buildSymbols(docs, SYMBOL_CHECK_SYMBOLS) })
  }
]

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  const name = (analysis) => `${analysis.label}: submit to complete`
  if (data.reason !== undefined) {
    return ANALYSES.map((analysis) => notRun({ group: GROUP, name: name(analysis), unit: 'ms', target: TARGET, reason: data.reason }))
  }
  const requests = buildRequests(data.path)
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { workers: 1, hgncSource: data.path })
    await stack.loadData()
    const rows = []
    for (const { label, body, reason } of requests) {
      const row = { group: GROUP, name: name({ label }), unit: 'ms', target: TARGET }
      if (reason !== undefined) {
        rows.push(notRun({ ...row, reason }))
        continue
      }
      // The first job of each analysis is a warm-up (the worker caches its projection of the data on
      // first use, and each analysis's code is optimised while it runs); it is reported in the note.
      const warmUp = await runJob(stack, body)
      if (!warmUp.available) {
        progress(GROUP, `${label}: not available (${warmUp.message})`)
        rows.push(notRun({ ...row, status: 'n/a', reason: `not available: the API answers 400 (${warmUp.message})` }))
        continue
      }
      if (warmUp.job.status !== 'complete' && /^unknown analysis/.test(warmUp.job.error ?? '')) {
        progress(GROUP, `${label}: not available in the worker (${warmUp.job.error})`)
        rows.push(notRun({ ...row, status: 'n/a', reason: `not available: the API takes it, the worker does not run it yet (${warmUp.job.error})` }))
        continue
      }
      if (warmUp.job.status !== 'complete') {
        progress(GROUP, `${label}: the job failed: ${warmUp.job.error}`)
        rows.push(notRun({ ...row, status: 'error', reason: `the job failed: ${warmUp.job.error}` }))
        continue
      }
      const times = []
      for (let i = 1; i <= settings.runs; i++) {
        const result = await runJob(stack, body)
        if (!result.available || result.job.status !== 'complete') throw new Error(`${label} run ${i}: ${result.message ?? result.job.error}`)
        times.push(result.ms)
        progress(GROUP, `${label} run ${i}/${settings.runs}: ${Math.round(result.ms)} ms`)
      }
      rows.push(measured({ ...row, values: times, note: `warm-up (first job) ${Math.round(warmUp.ms)} ms` }))
    }
    return rows
  })
}

/**
 * Every analysis with its request body, or the reason it cannot be built. The data file is parsed
 * here (only when a body needs it) and freed before the stack starts.
 */
function buildRequests (path) {
  let docs
  return ANALYSES.map((analysis) => {
    if (typeof analysis.body !== 'function') return { ...analysis }
    docs ??= readHgncDocs(path)
    return docs.reason !== undefined ? { ...analysis, reason: docs.reason } : { ...analysis, body: analysis.body(docs.docs) }
  })
}

/**
 * The records of an HGNC JSON file (gzipped or not), read in memory only. Returns `{ docs }`, or
 * `{ reason }` when the file is not HGNC JSON (a TSV source still serves the range analyses).
 */
export function readHgncDocs (path) {
  const raw = readFileSync(path)
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8')
  try {
    const docs = JSON.parse(text).response?.docs
    if (Array.isArray(docs)) return { docs }
  } catch {}
  return { reason: `${path} is not HGNC JSON ({"response":{"docs":[...]}}): symbol-check builds its symbol list from it` }
}

/**
 * The small analysis jobs the charts and scale groups submit: the four analyses in turn, each on
 * a random 500-id range or 100 consecutive approved symbols (seeded, so every run submits the same
 * jobs). Returns `{ body(i) }`, the i-th request, or `{ reason }` when the data file cannot be read.
 */
export function smallJobMix (path, seed) {
  const docs = readHgncDocs(path)
  if (docs.reason !== undefined) return { reason: docs.reason }
  const symbols = docs.docs.filter((doc) => doc.status === 'Approved' && /^[!-~]{1,64}$/.test(doc.symbol)).map((doc) => doc.symbol)
  const random = seededRandom(seed)
  const body = (i) => {
    const kind = ['approval-timeline', 'locus-types', 'chromosomes', 'symbol-check'][i % 4]
    if (kind === 'symbol-check') {
      const start = Math.floor(random() * (symbols.length - 100))
      return { analysis: kind, symbols: symbols.slice(start, start + 100) }
    }
    const start = 1 + Math.floor(random() * 50_000)
    return { analysis: kind, hgnc_id_start: start, hgnc_id_end: start + 499 }
  }
  return { body }
}

/** A small seeded PRNG (mulberry32): the same symbol list on every run and machine. */
export function seededRandom (seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffle (items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}

/** Users paste symbols in any case: keep half as written, the rest lower, upper or mixed case. */
export function varyCase (symbol, random) {
  const r = random()
  if (r < 0.5) return symbol
  if (r < 0.7) return symbol.toLowerCase()
  if (r < 0.85) return symbol.toUpperCase()
  return [...symbol].map((char) => (random() < 0.5 ? char.toLowerCase() : char.toUpperCase())).join('')
}

/**
 * `count` distinct symbols as a user might paste them: approved and withdrawn symbols, previous
 * symbols and aliases (each in varied case), and 10% made-up ones that match nothing, shuffled.
 */
function buildSymbols (docs, count) {
  const valid = (symbol) => typeof symbol === 'string' && /^[!-~]{1,64}$/.test(symbol)
  const pools = { approved: [], withdrawn: [], previous: [], alias: [] }
  const known = new Set()
  for (const doc of docs) {
    if (valid(doc.symbol)) (doc.status === 'Approved' ? pools.approved : pools.withdrawn).push(doc.symbol)
    for (const symbol of doc.prev_symbol ?? []) if (valid(symbol)) pools.previous.push(symbol)
    for (const symbol of doc.alias_symbol ?? []) if (valid(symbol)) pools.alias.push(symbol)
    for (const symbol of [doc.symbol, ...(doc.prev_symbol ?? []), ...(doc.alias_symbol ?? [])]) known.add(String(symbol).toLowerCase())
  }
  const random = seededRandom(20_250_101)
  // The last 10% (and any shortfall of a pool) are made-up symbols.
  const shares = { approved: 0.35, withdrawn: 0.05, previous: 0.25, alias: 0.25 }
  const chosen = []
  const taken = new Set()
  const take = (symbol) => {
    if (taken.has(symbol.toLowerCase())) return false
    taken.add(symbol.toLowerCase())
    chosen.push(symbol)
    return true
  }
  for (const [pool, share] of Object.entries(shares)) {
    let wanted = Math.round(count * share)
    for (const symbol of shuffle(pools[pool], random)) {
      if (wanted === 0) break
      if (take(varyCase(symbol, random))) wanted--
    }
  }
  while (chosen.length < count) {
    // Shaped like a symbol (letters then digits) but absent from the data, so it stays unmatched.
    const symbol = `ZQX${Math.floor(random() * 1e6).toString(36).toUpperCase()}${Math.floor(random() * 100)}`
    if (!known.has(symbol.toLowerCase())) take(symbol)
  }
  return shuffle(chosen, random)
}
