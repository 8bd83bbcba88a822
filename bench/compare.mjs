// The same-run comparisons of issues 15 and 13: each genejobs result divided by its peer or floor
// measured in the same `pnpm bench` invocation (BullMQ, a bare Fastify route, a bare gunzip +
// JSON.parse), against issue 15's ratio targets. Absolute figures drift 30% and more between runs
// and machines; ratios of one run do not, which is why the targets are ratios.
//
// A ratio is the ratio of the two medians (genejobs median / peer median). Where both sides ran
// the same number of runs, taking turns (they do in api.mjs, jobs.mjs and load.mjs), the min and
// max columns show the lowest and highest ratio of one run's pair, as the spread.
import { stats } from './lib.mjs'

/** The seed Flask service's Redis memory for one data version (issue 15): a fixed reference. */
const SEED_MEMORY_MB = 35.7

const ISSUE15 = 'issue 15: ratios to peers of this run'
const ISSUE13 = 'issue 13: ratios to bare Fastify of this run'
/** Commit b13965e's real small analysis jobs per second with one worker, as issue 15 quotes it. */
const B13965E_JOBS_PER_S = 27
/** Commit b13965e's bytes for one finished small result (JSON, SVG, PNG, CSV, TSV), as issue 15 quotes them. */
const B13965E_RESULT_BYTES = 65_600

/**
 * The comparison rows for the rows a run measured. `rows` carry ids (`api.genes.rps`, ...); a
 * comparison whose inputs did not run is `skipped`, naming the benchmark group it needs.
 */
export function compareRows (rows) {
  const byId = new Map(rows.filter((row) => row.id !== undefined).map((row) => [row.id, row]))
  const ratio = (spec) => ratioRow(byId, spec)
  return [
    ratio({ group: ISSUE15, name: 'GET /genes/HGNC:5 / bare Fastify, req/s', ours: 'api.genes.rps', peer: 'api.fastify.rps', label: '(bare Fastify)', target: { op: '>=', value: 0.85 } }),
    copyRow(byId, { group: ISSUE15, name: 'GET /genes/HGNC:5: p99 latency', id: 'api.genes.p99', target: { op: '<=', value: 5 } }),
    ratio({ group: ISSUE15, name: 'no-op jobs c1 / BullMQ c1, jobs/s', ours: 'jobs.noop.c1', peer: 'jobs.bullmq.c1', label: '(BullMQ)', target: { op: '>=', value: 1.25 } }),
    ratio({ group: ISSUE15, name: 'no-op jobs c16 / BullMQ c16, jobs/s', ours: 'jobs.noop.c16', peer: 'jobs.bullmq.c16', label: '(BullMQ)', target: { op: '>=', value: 1.5 } }),
    ratio({ group: ISSUE15, name: 'Redis bytes per finished job / BullMQ', ours: 'jobs.noop.bytes', peer: 'jobs.bullmq.bytes', label: '(BullMQ)', target: { op: '<=', value: 1.0 } }),
    ratio({ group: ISSUE15, name: 'full load (API ms) / floor', ours: 'load.ms', peer: 'load.floor', label: '(floor)', target: { op: '<=', value: 1.5 } }),
    ratio({ group: ISSUE15, name: '  the load\'s CPU / cores / floor: lowest ratio here', ours: 'load.bound', peer: 'load.floor', label: '(floor)' }),
    ratio({ group: ISSUE15, name: 'Redis MB, one version / seed 35.7 MB', ours: 'load.memory.base', fixed: { value: SEED_MEMORY_MB, label: 'seed Flask service (fixed figure from issue 15)' }, target: { op: '<=', value: 1.1 } }),
    ratio({ group: ISSUE15, name: 'small analysis jobs/s / commit b13965e', ours: 'charts.small.jps', fixed: { value: B13965E_JOBS_PER_S, label: 'commit b13965e (fixed figure from issue 15, not re-run)' }, target: { op: '>=', value: 3 } }),
    ratio({ group: ISSUE15, name: 'result bytes, no chart asked / b13965e', ours: 'charts.bytes', fixed: { value: B13965E_RESULT_BYTES, label: 'commit b13965e, 65.6 KB (fixed figure from issue 15)' }, target: { op: '<=', value: 0.2 } }),
    copyRow(byId, { group: ISSUE15, name: 'first PNG of a result', id: 'charts.png.first', target: { op: '<=', value: 150 } }),
    ratio({ group: ISSUE13, name: 'GET /search?q=brca* / bare Fastify', ours: 'api.search.rps', peer: 'api.fastify.rps', label: '(bare Fastify)' }),
    ratio({ group: ISSUE13, name: 'GET /fetch/ensembl_gene_id/... / bare Fastify', ours: 'api.fetch.rps', peer: 'api.fastify.rps', label: '(bare Fastify)' })
  ]
}

/** The benchmark group a row id comes from (`api.genes.rps` -> `api`). */
const groupOf = (id) => id.split('.')[0]

/** Why a comparison cannot be made, or undefined when its input row has a median. */
function missing (byId, id) {
  const row = byId.get(id)
  if (row === undefined) return `needs the ${groupOf(id)} group (node bench/run.mjs ${groupOf(id)})`
  if (row.median === undefined) return `${row.status}${row.note !== undefined ? `: ${row.note}` : ''}`
  return undefined
}

function withStatus (row, target, value) {
  if (target === undefined) return { ...row, status: 'info' }
  const met = target.op === '<=' ? value <= target.value : value >= target.value
  return { ...row, target, status: met ? 'PASS' : 'MISS' }
}

function describe (row) {
  return `${Math.round(row.median).toLocaleString('en-US')} ${row.unit}`
}

/**
 * genejobs median / peer median (or / a fixed figure), PASS/MISS against `target` (information
 * without one). Min and max are the extreme per-run ratios when the runs pair up one to one.
 */
function ratioRow (byId, { group, name, ours, peer, label = '', fixed, target }) {
  const base = { group, name, unit: '×' }
  const reason = missing(byId, ours) ?? (peer !== undefined ? missing(byId, peer) : undefined)
  if (reason !== undefined) return { ...base, ...(target !== undefined ? { target } : {}), status: 'skipped', note: reason }
  const mine = byId.get(ours)
  if (fixed !== undefined) {
    const value = mine.median / fixed.value
    const values = mine.values.map((v) => v / fixed.value)
    return withStatus({ ...base, values, median: value, ...spread(values), note: `${mine.median.toFixed(1)} ${mine.unit} / ${fixed.value} ${mine.unit}, ${fixed.label}` }, target, value)
  }
  const theirs = byId.get(peer)
  const value = mine.median / theirs.median
  const paired = mine.values.length === theirs.values.length
  const values = paired ? mine.values.map((v, i) => v / theirs.values[i]) : [value]
  const note = `${describe(mine)} / ${describe(theirs)} ${label}, medians`
  return withStatus({ ...base, values, median: value, ...(paired ? spread(values) : {}), note }, target, value)
}

function spread (values) {
  const { min, max } = stats(values)
  return { min, max }
}

/** A measured row repeated in the comparison block under an issue 15 target of its own. */
function copyRow (byId, { group, name, id, target }) {
  const reason = missing(byId, id)
  if (reason !== undefined) return { group, name, unit: byId.get(id)?.unit ?? 'ms', target, status: 'skipped', note: reason }
  const row = byId.get(id)
  return withStatus({ group, name, unit: row.unit, values: row.values, median: row.median, min: row.min, max: row.max, note: `the runs of "${row.name}"` }, target, row.median)
}
