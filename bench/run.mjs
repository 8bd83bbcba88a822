#!/usr/bin/env node
// `pnpm bench [group...]`: runs the benchmark groups (all by default, or those named: load, api,
// jobs, analyses, uploads, charts, events, scale), then the same-run comparisons with the peers (compare.mjs: issue 15's
// ratios), prints one summary table and writes bench/results/latest.json.
// Benchmarks measure; a MISS never fails the run. The exit code is 1 only when a benchmark could
// not be measured (an error), 2 for bad arguments or settings. Expects the packages built
// (`pnpm bench` builds first).
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import * as analyses from './analyses.mjs'
import * as events from './events.mjs'
import * as api from './api.mjs'
import { compareRows } from './compare.mjs'
import * as jobs from './jobs.mjs'
import * as load from './load.mjs'
import * as uploads from './uploads.mjs'
import * as charts from './charts.mjs'
import * as scale from './scale.mjs'
import { MB, REPO_ROOT, closeAllScopes, hgncSource, notRun, printTable, progress, readSettings } from './lib.mjs'

/**
 * The benchmark groups, in the order they run and print. Each is a module whose
 * `run({ settings, data })` returns result rows (lib.mjs `measured`/`notRun`); rows with an `id`
 * can be compared in compare.mjs. The peers run inside the groups they are compared with, taking
 * turns with genejobs: bare Fastify in api, BullMQ in jobs, the parse floor in load.
 * To add a group, import its module and add one line here, and a `bench:<name>` script in
 * package.json.
 */
const SECTIONS = [
  ['load', load],
  ['api', api],
  ['jobs', jobs],
  ['analyses', analyses],
  ['uploads', uploads],
  ['charts', charts],
  ['events', events],
  ['scale', scale]
]
const GROUPS = Object.fromEntries(SECTIONS)
const RESULTS_FILE = join(REPO_ROOT, 'bench', 'results', 'latest.json')

const USAGE = `usage: node bench/run.mjs [${Object.keys(GROUPS).join('|')}]...
  no group: run them all
  BENCH_RUNS       measured runs per benchmark (default 5)
  BENCH_DURATION   seconds per autocannon run (default 10)
  BENCH_NOOP_JOBS  jobs per no-op queue run (default 20000)
  HGNC_SOURCE      the real data set (default ../shared/data/hgnc_complete_set.json.gz)
`

/** The first line a command prints, or undefined when it cannot run. */
function firstLine (command, args) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8' })
  return result.status === 0 ? result.stdout.split('\n')[0].trim() : undefined
}

async function main () {
  const args = process.argv.slice(2)
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE)
    return
  }
  const unknown = args.filter((arg) => !Object.hasOwn(GROUPS, arg))
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark group: ${unknown.join(', ')}\n${USAGE}`)
    process.exitCode = 2
    return
  }
  let settings
  try {
    settings = readSettings()
  } catch (err) {
    process.stderr.write(`${err.message}\n`)
    process.exitCode = 2
    return
  }
  const selected = SECTIONS.map(([name]) => name).filter((group) => args.length === 0 || args.includes(group))
  const data = hgncSource()
  if (data.reason !== undefined) progress('bench', `skipping the benchmarks that need the real data set: ${data.reason}`)

  const startedAt = new Date()
  const rows = []
  for (const group of selected) {
    if (interrupted) return
    progress(group, `starting (${settings.runs} run(s) per benchmark)`)
    try {
      rows.push(...await GROUPS[group].run({ settings, data }))
    } catch (err) {
      if (interrupted) return // the failure is the interruption's doing
      // One broken group must not hide the others' numbers.
      progress(group, `failed: ${err.stack ?? err}`)
      rows.push(notRun({ group, name: '(group aborted)', status: 'error', reason: String(err.message ?? err).split('\n')[0] }))
    }
  }

  if (interrupted) return
  const comparisons = compareRows(rows)
  rows.push(...comparisons)
  process.stdout.write(`\ngenejobs benchmarks: median of ${settings.runs} run(s) (min and max beside it); ratios are genejobs median / peer median of this run\n\n`)
  printTable(rows)
  const count = (list, status) => list.filter((row) => row.status === status).length
  const misses = count(rows, 'MISS')
  const errors = count(rows, 'error')
  // Issue 15's rows with a target; its information rows (the load's bound) are not counted.
  const issue15 = comparisons.filter((row) => row.group.startsWith('issue 15') && row.target !== undefined)
  process.stdout.write(`${count(rows, 'PASS')} PASS, ${misses} MISS, ${errors} error(s); issue 15: ${count(issue15, 'PASS')} of ${issue15.length} PASS (${count(issue15, 'not measured')} not measured, ${count(issue15, 'skipped')} skipped)\n`)

  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true })
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    groups: selected,
    settings: { ...settings, hgncSource: data.path ?? null },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      memoryMb: Math.round(totalmem() / MB),
      node: process.version,
      redis: firstLine('redis-server', ['--version']) ?? null,
      commit: firstLine('git', ['rev-parse', 'HEAD']) ?? null
    },
    results: rows
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`results written to ${RESULTS_FILE}\n`)
  if (errors > 0) process.exitCode = 1
}

// Ctrl-C, a kill or a crash: stop every redis-server, API and worker this run started, and remove
// their temp dirs, before leaving. An interrupted run writes no results.
let interrupted = false
const leave = (why, code) => {
  interrupted = true
  progress('bench', `${why}: stopping every process the benchmarks started`)
  closeAllScopes().finally(() => process.exit(code))
}
process.once('SIGINT', () => { leave('SIGINT', 130) })
process.once('SIGTERM', () => { leave('SIGTERM', 143) })
process.once('uncaughtException', (err) => {
  process.stderr.write(`${err.stack ?? err}\n`)
  leave('uncaught exception', 1)
})

try {
  await main()
} catch (err) {
  process.stderr.write(`${err.stack ?? err}\n`)
  await closeAllScopes()
  process.exitCode = 1
}
