// Group "charts" (issue 15, item 4: charts drawn when asked): real small analysis jobs through the
// real API and one real worker process, which stores each result without drawing it; then what a
// stored result costs in Redis before anyone asks for a chart, and how long the API takes to draw
// the first PNG of a result (and to serve it again).
import { readJobFields } from '@genejobs/jobs-core'
import { smallJobMix } from './analyses.mjs'
import { measured, notRun, pollUntil, progress, withScope } from './lib.mjs'
import { startStack } from './services.mjs'

const GROUP = 'charts'
/** Jobs per run: the four analyses in turn, each on a 500-id range or 100 symbols. */
const JOBS_PER_RUN = 200
/** Results whose first PNG is timed per run. */
const PNGS_PER_RUN = 8

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  const rows = [
    { id: 'charts.small.jps', name: `small analysis jobs (4 analyses, 500-id ranges or 100 symbols), ${JOBS_PER_RUN} submitted at once, one worker`, unit: 'jobs/s' },
    { id: 'charts.bytes', name: 'Redis bytes of a finished small result, no chart asked (MEMORY USAGE)', unit: 'B' },
    { id: 'charts.png.first', name: 'GET /results/:id?format=png, first request (drawn)', unit: 'ms', target: { op: '<=', value: 150 } },
    { id: 'charts.png.repeat', name: 'the same PNG asked again (served as stored)', unit: 'ms' }
  ]
  if (data.reason !== undefined) return rows.map((row) => notRun({ group: GROUP, ...row, reason: data.reason }))
  const mix = smallJobMix(data.path, 15_004)
  if (mix.reason !== undefined) return rows.map((row) => notRun({ group: GROUP, ...row, reason: mix.reason }))
  const { body } = mix
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { workers: 1, hgncSource: data.path })
    await stack.loadData()
    const rates = []
    const bytes = []
    const firstPng = []
    const repeatPng = []
    for (let run = 0; run <= settings.runs; run++) {
      const bodies = Array.from({ length: JOBS_PER_RUN }, (_, i) => body(i))
      const started = performance.now()
      const ids = []
      for (const request of bodies) {
        const res = await stack.request('POST', '/jobs', { body: request })
        if (res.status !== 201) throw new Error(`POST /jobs answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`)
        ids.push(res.body.id)
      }
      await pollUntil(async () => {
        stack.assertRunning()
        const statuses = await Promise.all(ids.map(async (id) => (await readJobFields(stack.stores.jobs, stack.keys, id, ['status']))[0]))
        const failed = statuses.indexOf('failed')
        if (failed >= 0) throw new Error(`job ${ids[failed]} failed: ${await stack.stores.jobs.hGet(stack.keys.jobs.record(ids[failed]), 'error')}`)
        return statuses.every((status) => status === 'complete')
      }, { timeoutMs: 300_000, intervalMs: 5, what: `${JOBS_PER_RUN} small jobs to complete` })
      const seconds = (performance.now() - started) / 1000
      // Run 0 is a warm-up (the worker's first jobs; the API's first drawing loads vega and resvg).
      const sizes = await Promise.all(ids.map(async (id) => Number(await stack.stores.results.sendCommand(['MEMORY', 'USAGE', stack.keys.results.result(id), 'SAMPLES', '0']))))
      const pngs = []
      for (const id of ids.slice(0, PNGS_PER_RUN)) {
        const first = await timedPng(stack, id)
        const repeat = await timedPng(stack, id)
        if (!first.body.equals(repeat.body)) throw new Error(`job ${id}: the repeated PNG differs from the first`)
        pngs.push([first.ms, repeat.ms])
      }
      if (run === 0) {
        progress(GROUP, `warm-up: ${(JOBS_PER_RUN / seconds).toFixed(0)} jobs/s; first PNGs ${pngs.map(([ms]) => Math.round(ms)).join(', ')} ms`)
        continue
      }
      rates.push(JOBS_PER_RUN / seconds)
      bytes.push(median(sizes))
      firstPng.push(median(pngs.map(([ms]) => ms)))
      repeatPng.push(median(pngs.map(([, ms]) => ms)))
      progress(GROUP, `run ${run}/${settings.runs}: ${rates.at(-1).toFixed(0)} jobs/s, ${bytes.at(-1)} B per result, first PNG ${firstPng.at(-1).toFixed(0)} ms`)
    }
    return [
      measured({ group: GROUP, ...rows[0], values: rates }),
      measured({ group: GROUP, ...rows[1], values: bytes, note: 'median over the run\'s results' }),
      measured({ group: GROUP, ...rows[2], values: firstPng, note: `median of ${PNGS_PER_RUN} results per run` }),
      measured({ group: GROUP, ...rows[3], values: repeatPng })
    ]
  })
}

/** `GET /results/:id?format=png`: the time to the last byte, and the bytes. */
async function timedPng (stack, id) {
  const started = performance.now()
  const res = await fetch(`${stack.api.baseUrl}/results/${id}?format=png`)
  const body = Buffer.from(await res.arrayBuffer())
  const ms = performance.now() - started
  if (res.status !== 200 || res.headers.get('content-type') !== 'image/png') throw new Error(`GET /results/${id}?format=png answered ${res.status} ${res.headers.get('content-type')}`)
  return { ms, body }
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
