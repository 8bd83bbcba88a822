// Shared helpers of the benchmark suite: settings, statistics, result rows and the summary table,
// cleanup scopes and polling with deadlines. Starting processes is in services.mjs.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Bytes in the "MB" the targets and Redis's `used_memory_human` use. */
export const MB = 1024 * 1024

// ---------------------------------------------------------------------------------------------
// Settings

function positiveInt (name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
    throw new Error(`${name}=${JSON.stringify(raw)} is invalid: expected a whole number of at least 1`)
  }
  return Number(raw)
}

/**
 * The benchmark settings from the environment: `BENCH_RUNS` (measured runs per benchmark),
 * `BENCH_DURATION` (seconds of each autocannon run), `BENCH_NOOP_JOBS` (jobs per no-op run).
 */
export function readSettings () {
  return {
    runs: positiveInt('BENCH_RUNS', 5),
    durationSeconds: positiveInt('BENCH_DURATION', 10),
    noopJobs: positiveInt('BENCH_NOOP_JOBS', 20_000)
  }
}

/**
 * Where the real HGNC data set is: `HGNC_SOURCE` (a file path or file:// URL), else
 * `../shared/data/hgnc_complete_set.json.gz` beside the repository. Returns `{ path }`, or
 * `{ reason }` to print when the benchmarks that need it are skipped.
 */
export function hgncSource () {
  const configured = process.env.HGNC_SOURCE ?? ''
  if (/^https?:\/\//i.test(configured)) {
    return { reason: `HGNC_SOURCE=${configured} is a URL: the benchmarks measure loading from a local file, so point it at the (gzipped) HGNC JSON` }
  }
  const path = configured === ''
    ? join(REPO_ROOT, '..', 'shared', 'data', 'hgnc_complete_set.json.gz')
    : configured.startsWith('file://') ? fileURLToPath(configured) : resolve(configured)
  if (!existsSync(path)) return { reason: `real HGNC data not found at ${path} (set HGNC_SOURCE to the gzipped HGNC JSON)` }
  return { path }
}

// ---------------------------------------------------------------------------------------------
// Statistics and result rows

/** Median, min and max of a non-empty list of numbers. */
export function stats (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1] }
}

/**
 * One measured result: the runs' values, their median/min/max, and PASS/MISS when it has a target
 * (`{ op: '<=' | '>=', value }`); without one it is shown for information. `id` (e.g.
 * `api.genes.rps`) names a row the same-run comparisons (compare.mjs) read.
 */
export function measured ({ id, group, name, unit, values, target, note }) {
  const summary = stats(values)
  let status = 'info'
  if (target !== undefined) {
    const met = target.op === '<=' ? summary.median <= target.value : summary.median >= target.value
    status = met ? 'PASS' : 'MISS'
  }
  return { ...(id !== undefined ? { id } : {}), group, name, unit, values, ...summary, ...(target !== undefined ? { target } : {}), status, ...(note !== undefined ? { note } : {}) }
}

/** A benchmark that did not run: `status` is `skipped` (no data), `n/a` (not available) or `error`. */
export function notRun ({ id, group, name, unit, target, status = 'skipped', reason }) {
  return { ...(id !== undefined ? { id } : {}), group, name, unit, ...(target !== undefined ? { target } : {}), status, note: reason }
}

function formatNumber (value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '-'
  switch (unit) {
    case 'ms':
      return `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)} ms`
    case 'MB':
      return `${value.toFixed(1)} MB`
    case '×':
      return `${value.toFixed(2)}×`
    default:
      return `${Math.round(value).toLocaleString('en-US')} ${unit}`
  }
}

/** Prints the rows as an aligned table, one block per group, notes in the last column. */
export function printTable (rows, out = process.stdout) {
  const header = ['benchmark', 'median', 'min', 'max', 'target', 'result', 'notes']
  const lines = rows.map((row) => [
    row.name,
    formatNumber(row.median, row.unit),
    formatNumber(row.min, row.unit),
    formatNumber(row.max, row.unit),
    row.target === undefined ? '' : `${row.target.op} ${formatNumber(row.target.value, row.unit)}`,
    row.status,
    row.note ?? ''
  ])
  const widths = header.slice(0, -1).map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells) => cells.map((cell, i) => {
    if (i === cells.length - 1) return cell
    // Text columns line up on the left, numbers on the right.
    return i === 0 || i === 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])
  }).join('  ').trimEnd()
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width + 2, 0) + 'notes'.length)
  out.write(`${format(header)}\n`)
  let group
  lines.forEach((line, i) => {
    if (rows[i].group !== group) {
      group = rows[i].group
      out.write(`${rule}\n[${group}]\n`)
    }
    out.write(`${format(line)}\n`)
  })
  out.write(`${rule}\n`)
}

/** Progress lines go to stderr, so stdout holds only the table. */
export function progress (group, message) {
  process.stderr.write(`[${group}] ${message}\n`)
}

// ---------------------------------------------------------------------------------------------
// Cleanup scopes: every process, client and temp dir a benchmark starts is registered here, and
// released in reverse order when the benchmark ends, throws, or the run is interrupted.

const openScopes = new Set()

/** A list of cleanup steps run last-in first-out. */
export class Scope {
  #steps = []
  #closing

  /** Registers `step` to run when the scope closes. */
  defer (step) {
    this.#steps.push(step)
  }

  /**
   * Runs every step (each even when an earlier one fails). A second call (Ctrl-C while the
   * benchmark's own `finally` is closing) returns the same promise, so it waits for every step.
   */
  close () {
    this.#closing ??= this.#runSteps()
    return this.#closing
  }

  async #runSteps () {
    const errors = []
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()
      try {
        await step()
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `cleanup failed: ${errors.map((err) => err.message).join('; ')}`)
  }
}

/** Runs `fn(scope)` and closes the scope afterwards, whatever happens. */
export async function withScope (fn) {
  const scope = new Scope()
  openScopes.add(scope)
  try {
    return await fn(scope)
  } finally {
    openScopes.delete(scope)
    await scope.close()
  }
}

/** Closes every open scope (on Ctrl-C or a crash). */
export async function closeAllScopes () {
  await Promise.allSettled([...openScopes].map(async (scope) => await scope.close()))
}

// ---------------------------------------------------------------------------------------------
// Polling

/**
 * Calls `check` every `intervalMs` until it returns a value other than undefined/false, and
 * returns it. An error thrown by `check` ends the wait at once; the deadline ends it with a message
 * naming what was awaited (`what`: a string, or a function called then for the latest state).
 */
export async function pollUntil (check, { timeoutMs = 10_000, intervalMs = 25, what = 'a condition' } = {}) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
