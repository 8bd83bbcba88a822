// Group "load" (issue 2): `POST /data` of the full real HGNC set through a real API process, and
// the Redis memory the loaded data takes.
import { MB, measured, notRun, progress, redisMemory, startStack, stats, withScope } from './lib.mjs'

const GROUP = 'load'
const TARGET = { op: '<=', value: 1000 }

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  if (data.reason !== undefined) {
    return [notRun({ group: GROUP, name: 'POST /data: full real set', unit: 'ms', target: TARGET, reason: data.reason })]
  }
  const apiMs = []
  const wallMs = []
  const usedMb = []
  const emptyMb = []
  let loaded = 0
  let human = ''
  for (let i = 1; i <= settings.runs; i++) {
    // A fresh Redis and API every run: each load is the first into an empty server, so the memory
    // counts exactly one data version (a replaced version stays readable for 120 s after a reload).
    await withScope(async (scope) => {
      const stack = await startStack(scope, { hgncSource: data.path })
      const empty = await redisMemory(stack.stores.genes)
      const result = await stack.loadData()
      const after = await redisMemory(stack.stores.genes)
      loaded = result.loaded
      human = after.human
      apiMs.push(result.ms)
      wallMs.push(result.wallMs)
      usedMb.push(after.used / MB)
      emptyMb.push(empty.used / MB)
      progress(GROUP, `run ${i}/${settings.runs}: ${result.loaded} genes, API ${result.ms} ms, wall ${Math.round(result.wallMs)} ms, Redis used_memory ${after.human}`)
    })
  }
  const note = `${loaded.toLocaleString('en-US')} genes; fresh Redis + API process each run`
  return [
    measured({ group: GROUP, name: 'POST /data: load time (the API\'s ms)', unit: 'ms', values: apiMs, target: TARGET, note }),
    measured({ group: GROUP, name: 'POST /data: wall time at the client', unit: 'ms', values: wallMs, target: TARGET }),
    measured({
      group: GROUP,
      name: 'Redis used_memory after one load',
      unit: 'MB',
      values: usedMb,
      note: `one data version (last run: used_memory_human ${human}); an empty server uses ${stats(emptyMb).median.toFixed(1)} MB`
    })
  ]
}
