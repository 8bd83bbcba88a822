// The chaos soak's end: waits for the queue to drain, then checks what must hold after any mix of
// worker kills, freezes and Redis restarts.
import { createClient } from 'redis'
import { readJobFields } from '@genejobs/jobs-core'

/** Failures the retry policy explains: attempts used up, or an error no retry can fix. */
const POLICY_FAILURE = /^(failed after \d+ attempts: |test-throw: unrecoverable on purpose$)/
const CHARTED = new Set(['approval-timeline', 'locus-types', 'chromosomes', 'symbol-check'])

/**
 * Waits (up to 3 minutes) until every accepted job is complete or failed, then checks: none lost,
 * none stuck, every failure explained by the retry policy, every result written once, no id left in
 * any queue structure, every result readable in every format, the API still the same process.
 */
export async function checkInvariants ({ http, redis, keys, config, accepted, resultWrites, api }) {
  const client = createClient({ socket: { host: '127.0.0.1', port: redis.port }, database: config.databases.jobs, commandOptions: { timeout: 30_000 } })
  await client.connect()
  try {
    // In slices: thousands of replies at once can outlast a busy machine's command timeout.
    const records = async () => {
      const states = []
      for (let i = 0; i < accepted.length; i += 500) {
        states.push(...await Promise.all(accepted.slice(i, i + 500).map(async ({ id }) => await readJobFields(client, keys, id, ['status', 'error']))))
      }
      return states
    }
    // Drained when every job is finished; given up when nothing has finished for two minutes.
    let states = []
    let finished = -1
    let lastProgress = Date.now()
    for (;;) {
      states = await records()
      const now = states.filter(([status]) => status === 'complete' || status === 'failed' || status === null).length
      if (now === states.length) break
      if (now > finished) { finished = now; lastProgress = Date.now() }
      if (Date.now() - lastProgress > 120_000) break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    const violations = []
    let complete = 0; let failed = 0; let lost = 0; let stuck = 0; let duplicated = 0
    for (const [i, [status, error]] of states.entries()) {
      const { id, analysis } = accepted[i]
      if (status === null) { lost++; violations.push(`job ${id} (${analysis}) is gone`); continue }
      if (status === 'complete') complete++
      else if (status === 'failed') {
        failed++
        const expected = analysis === 'test-throw' || POLICY_FAILURE.test(error ?? '')
        if (!expected) violations.push(`job ${id} (${analysis}) failed outside the retry policy: ${error}`)
      } else { stuck++; violations.push(`job ${id} (${analysis}) is still ${status}`) }
      const writes = resultWrites.get(`__keyspace@${config.databases.jobs}__:${keys.results.result(id)}`) ?? 0
      // Writes made just before a Redis kill or just after a restart are not seen (the listener
      // pauses then, see chaos.mjs): a complete job with none seen is fine, its result is read below.
      if (writes > 1) { duplicated++; violations.push(`job ${id} had its result written ${writes} times`) }
    }
    const left = {
      pending: await client.lLen(keys.queue.pending),
      delayed: await client.zCard(keys.queue.delayed),
      active: await client.hLen(keys.queue.active)
    }
    for await (const batch of client.scanIterator({ MATCH: keys.queue.processing('*'), COUNT: 1000 })) {
      for (const key of batch) {
        const ids = await client.lRange(key, 0, -1)
        if (ids.length > 0) violations.push(`${key} still holds ${ids.join(', ')}`)
      }
    }
    for (const [where, n] of Object.entries(left)) if (n > 0) violations.push(`${n} id(s) left in ${where}`)
    for (const [i, [status]] of states.entries()) {
      if (status !== 'complete') continue
      const { id, analysis } = accepted[i]
      const formats = CHARTED.has(analysis) ? ['json', 'csv', 'tsv', 'svg', 'png'] : ['json', 'csv', 'tsv']
      for (const format of formats) {
        const res = await http('GET', `/results/${id}?format=${format}`)
        if (res.status !== 200) violations.push(`GET /results/${id}?format=${format} answered ${res.status}`)
      }
    }
    if (api.child.exitCode !== null || api.child.signalCode !== null) violations.push(`the API process exited (${api.child.exitCode ?? api.child.signalCode})`)
    return { complete, failed, lost, stuck, duplicated, violations }
  } finally {
    await client.close()
  }
}
