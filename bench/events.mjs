// Group "events" (issue 12): what open GET /jobs/:id/events streams cost the API's other routes.
//   GET /genes/HGNC:5 under load (autocannon, 50 connections) with no stream open, then with
//   STREAMS event streams open (each on its own job, so each is a Redis subscription of the API's
//   one subscriber connection); the figure is the throughput with streams over the one without.
import { get } from 'node:http'
import autocannon from 'autocannon'
import { measured, notRun, pollUntil, progress, withScope } from './lib.mjs'
import { startStack } from './services.mjs'

const GROUP = 'events'
const STREAMS = 500
const CONNECTIONS = 50
const WARM_UP_SECONDS = 1
const TARGET = { op: '>=', value: 90 }
const NAME = `GET /genes/HGNC:5 with ${STREAMS} open event streams: throughput vs none`

/** Runs the group; returns its result rows. */
export async function run ({ settings, data }) {
  if (data.reason !== undefined) return [notRun({ group: GROUP, name: NAME, unit: '%', target: TARGET, reason: data.reason })]
  return await withScope(async (scope) => {
    const stack = await startStack(scope, { hgncSource: data.path })
    await stack.loadData()
    const url = `${stack.api.baseUrl}/genes/HGNC:5`
    const ids = []
    for (let i = 0; i < STREAMS; i++) {
      const res = await stack.request('POST', '/jobs', { body: { hgnc_id_start: '1', hgnc_id_end: '10' } })
      if (res.status !== 201) throw new Error(`POST /jobs answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`)
      ids.push(res.body.id)
    }
    await cannon(url, WARM_UP_SECONDS)
    const without = []
    const withStreams = []
    const ratios = []
    for (let i = 1; i <= settings.runs; i++) {
      without.push(await cannon(url, settings.durationSeconds))
      const streams = await openStreams(stack.api.port, ids)
      scope.defer(() => { streams.forEach((stream) => stream.destroy()) })
      withStreams.push(await cannon(url, settings.durationSeconds))
      const stillOpen = streams.filter((stream) => !stream.destroyed && !stream.readableEnded).length
      streams.forEach((stream) => stream.destroy())
      if (stillOpen !== STREAMS) throw new Error(`only ${stillOpen} of ${STREAMS} event streams stayed open under load`)
      ratios.push(100 * withStreams[i - 1] / without[i - 1])
      progress(GROUP, `run ${i}/${settings.runs}: ${Math.round(without[i - 1])} req/s without streams, ${Math.round(withStreams[i - 1])} req/s with ${STREAMS}`)
    }
    const note = `${CONNECTIONS} connections, ${settings.durationSeconds} s per run; idle streams, one job each`
    return [
      measured({ group: GROUP, name: 'GET /genes/HGNC:5 with no event stream open', unit: 'req/s', values: without, note }),
      measured({ group: GROUP, name: `GET /genes/HGNC:5 with ${STREAMS} open event streams`, unit: 'req/s', values: withStreams }),
      measured({ group: GROUP, name: NAME, unit: '%', values: ratios, target: TARGET, note: 'within 10% of none' })
    ]
  })
}

/** Requests per second of one autocannon run; any error or non-2xx answer voids it. */
async function cannon (url, durationSeconds) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationSeconds })
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`autocannon on ${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`)
  }
  return result.requests.average
}

/** Opens one event stream per job (a connection each) and waits until every one has its first event. */
async function openStreams (port, ids) {
  let ready = 0
  const streams = await Promise.all(ids.map(async (id) => await new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/jobs/${id}/events`, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`GET /jobs/${id}/events answered ${res.statusCode}`))
      res.once('data', () => { ready++ })
      res.on('error', () => {})
      resolve(res)
    }).on('error', reject)
  })))
  await pollUntil(() => ready === ids.length, { timeoutMs: 30_000, intervalMs: 25, what: `${ids.length} event streams to send their first event` })
  return streams
}
