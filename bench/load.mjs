// Group "load" (issues 2, 13, 15): `POST /data` of the full real HGNC set through a real API
// process, the Redis memory the loaded data version takes (in all, and what issue 13's search,
// fetch and filter indexes cost), and the floor the load is compared with: a bare gunzip +
// `JSON.parse` of the same file in a fresh Node process, run alternately with the loads.
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { FETCH_FIELDS, FILTER_FIELDS } from '@genejobs/jobs-core'
import { MB, measured, notRun, progress, stats, withScope } from './lib.mjs'
import { processCpuSeconds, redisCpuSeconds, redisMemory, startStack } from './services.mjs'

const GROUP = 'load'
const TARGET = { op: '<=', value: 1000 }
const FLOOR_SCRIPT = fileURLToPath(new URL('./parse-floor.mjs', import.meta.url))

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  if (data.reason !== undefined) {
    return [
      notRun({ id: 'load.ms', group: GROUP, name: 'POST /data: full real set', unit: 'ms', target: TARGET, reason: data.reason }),
      notRun({ id: 'load.floor', group: GROUP, name: 'floor: gunzip + JSON.parse of the file', unit: 'ms', reason: data.reason }),
      notRun({ id: 'load.memory.base', group: GROUP, name: 'Redis used_memory, one version', unit: 'MB', reason: data.reason })
    ]
  }
  const apiMs = []
  const wallMs = []
  const floorMs = []
  const usedMb = []
  const emptyMb = []
  const baseMb = []
  const searchMb = []
  const filterMb = []
  const cpuMs = []
  const cores = availableParallelism()
  let loaded = 0
  let human = ''
  for (let i = 1; i <= settings.runs; i++) {
    // The floor first, in its own process, so both see the same machine at about the same time.
    const floor = await parseFloor(data.path)
    floorMs.push(floor.ms)
    // A fresh Redis and API every run: each load is the first into an empty server, so the memory
    // counts exactly one data version (a replaced version stays readable for 120 s after a reload).
    await withScope(async (scope) => {
      const stack = await startStack(scope, { hgncSource: data.path })
      const empty = await redisMemory(stack.stores.genes)
      const cpuBefore = await loadCpuSeconds(stack)
      const result = await stack.loadData()
      cpuMs.push((await loadCpuSeconds(stack) - cpuBefore) * 1000)
      const after = await redisMemory(stack.stores.genes)
      const parts = await versionParts(stack)
      loaded = result.loaded
      human = after.human
      apiMs.push(result.ms)
      wallMs.push(result.wallMs)
      usedMb.push(after.used / MB)
      emptyMb.push(empty.used / MB)
      baseMb.push(parts.rest / MB)
      searchMb.push(parts.search / MB)
      filterMb.push(parts.filter / MB)
      progress(GROUP, `run ${i}/${settings.runs}: floor ${Math.round(floor.ms)} ms; ${result.loaded} genes, API ${result.ms} ms (CPU ${Math.round(cpuMs.at(-1))} ms with Redis's), wall ${Math.round(result.wallMs)} ms, Redis used_memory ${after.human} (search/fetch indexes ${(parts.search / MB).toFixed(1)} MB, filter indexes ${(parts.filter / MB).toFixed(1)} MB)`)
    })
  }
  const note = `${loaded.toLocaleString('en-US')} genes; fresh Redis + API process each run`
  return [
    measured({ id: 'load.ms', group: GROUP, name: 'POST /data: load time (the API\'s ms)', unit: 'ms', values: apiMs, target: TARGET, note }),
    measured({ id: 'load.wall', group: GROUP, name: 'POST /data: wall time at the client', unit: 'ms', values: wallMs, target: TARGET }),
    measured({ id: 'load.cpu', group: GROUP, name: 'POST /data: CPU used, API process + Redis', unit: 'ms', values: cpuMs, note: 'both of the API\'s threads (/proc) and the Redis server (INFO cpu), per load' }),
    measured({ id: 'load.bound', group: GROUP, name: `the same shared by this machine's ${cores} cores`, unit: 'ms', values: cpuMs.map((ms) => ms / cores), note: 'the shortest load this work allows here, were every core busy all through it' }),
    measured({ id: 'load.floor', group: GROUP, name: 'floor: gunzip + JSON.parse of the file', unit: 'ms', values: floorMs, note: 'fresh Node process each run, alternating with the loads' }),
    measured({
      id: 'load.memory',
      group: GROUP,
      name: 'Redis used_memory, one version, all indexes',
      unit: 'MB',
      values: usedMb,
      note: `issue 13: was 63.1 MB before its indexes (last run: used_memory_human ${human}); an empty server uses ${stats(emptyMb).median.toFixed(1)} MB`
    }),
    measured({ id: 'load.memory.base', group: GROUP, name: 'the same without issue 13\'s indexes', unit: 'MB', values: baseMb, note: 'used_memory once the search, fetch and filter index keys are deleted (end of each run)' }),
    measured({ id: 'load.memory.search', group: GROUP, name: 'search + fetch indexes (issue 13)', unit: 'MB', values: searchMb, note: `used_memory freed by deleting :prefixes, :words and the ${FETCH_FIELDS.length} :index:<fetch field> keys` }),
    measured({ id: 'load.memory.filter', group: GROUP, name: 'filter indexes (issue 13)', unit: 'MB', values: filterMb, note: `used_memory freed by deleting :index:${FILTER_FIELDS.join('|')}` })
  ]
}

/** CPU seconds used so far by a stack's API process (every thread) and its Redis server. */
async function loadCpuSeconds (stack) {
  return processCpuSeconds(stack.api.pid) + await redisCpuSeconds(stack.stores.genes)
}

/** One floor run: the time parse-floor.mjs reports for reading, gunzipping and parsing `path`. */
async function parseFloor (path) {
  const child = spawn(process.execPath, [FLOOR_SCRIPT, path], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk) => { stderr += chunk.toString() })
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`parse-floor.mjs exited with ${code}: ${stderr.slice(-1000)}`)
  return JSON.parse(stdout)
}

/**
 * What issue 13's extra keys of the current data version cost, in `used_memory` bytes: `search`
 * (the prefix and name-word indexes and one index per fetch field) and `filter` (one index per
 * filter field), measured by deleting them from this run's throwaway Redis, after every other
 * measurement, and reading `used_memory` before and after (`MEMORY USAGE` under-counts such
 * hashes by about 10%); `rest` is `used_memory` once they are gone. Key names come from keys.ts.
 */
async function versionParts (stack) {
  const { stores, keys } = stack
  const version = await stores.genes.get(keys.genes.current)
  if (version === null) throw new Error('no current gene data version after the load')
  const freed = async (names) => {
    const before = await redisMemory(stores.genes)
    for (const key of names) await stores.genes.sendCommand(['DEL', key])
    const after = await redisMemory(stores.genes)
    return before.used - after.used
  }
  const search = await freed([keys.genes.prefixes(version), keys.genes.words(version), ...FETCH_FIELDS.map((field) => keys.genes.fieldIndex(version, field))])
  const filter = await freed(FILTER_FIELDS.map((field) => keys.genes.fieldIndex(version, field)))
  return { search, filter, rest: (await redisMemory(stores.genes)).used }
}
