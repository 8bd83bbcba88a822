#!/usr/bin/env node
// The Redis Cluster failover run: `pnpm build && node scripts/cluster-failover.mjs [--kill queue|jobs]
// [--wait 0|1] [--seconds N]`. Starts a local cluster of 3 masters with one replica each, the API
// and two workers, submits jobs over HTTP at a steady pace, and after a third of the run SIGKILLs
// one master: the one holding the queue's slot (`queue`, the worst case: every submission needs it)
// or another one (`jobs`: only the jobs whose records it holds), or none (`none`: what a 201 costs
// with and without `--wait 1`). Then it lets the queue drain and
// prints one JSON line: jobs accepted, accepted jobs lost (not complete once the queue drained),
// 503 answers and how long the API answered 503, and how long the cluster took to elect a new
// master. With `--wait 1` the API waits for one replica (REDIS_WAIT_REPLICAS=1) before a 201.
import { parseArgs } from 'node:util'
import { createKeys } from '@genejobs/jobs-core'
import { fixturePath, freePort, startRedisCluster, startService, waitFor } from '@genejobs/test-support'

const { values: args } = parseArgs({ options: { kill: { type: 'string', default: 'queue' }, wait: { type: 'string', default: '0' }, seconds: { type: 'string', default: '15' } } })
if (!['queue', 'jobs', 'none'].includes(args.kill) || !['0', '1'].includes(args.wait) || !(Number(args.seconds) >= 6)) {
  process.stderr.write('usage: node scripts/cluster-failover.mjs [--kill queue|jobs|none] [--wait 0|1] [--seconds N>=6]\n')
  process.exit(2)
}
const say = (message) => process.stderr.write(`failover: ${message}\n`)
const sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms))
const keys = createKeys('genejobs')

const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 2000 })
const services = []
try {
  const port = await freePort()
  const env = {
    ...cluster.env,
    HGNC_SOURCE: fixturePath('genes.json'),
    PORT: String(port),
    REDIS_WAIT_REPLICAS: args.wait,
    REDIS_WAIT_TIMEOUT_MS: '1000',
    RATE_LIMIT_JOBS_PER_MINUTE: '0',
    WORKER_CONCURRENCY: '4',
    STALLED_AFTER_MS: '3000'
  }
  const api = startService('api', env)
  services.push(api, startService('worker', env), startService('worker', env))
  const base = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200, { timeoutMs: 60_000, what: 'the API' })
  if ((await fetch(`${base}/data`, { method: 'POST' })).status !== 201) throw new Error('loading the fixture failed')

  // The master to kill: the queue's (the slot of the pending list) or any other one.
  const slotOf = async (key) => Number((await cluster.cli(cluster.nodes[0].port, ['CLUSTER', 'KEYSLOT', key])).trim())
  const queueSlot = await slotOf(keys.queue.pending)
  const lines = (await cluster.cli(cluster.nodes[0].port, ['CLUSTER', 'NODES'])).split('\n').filter((line) => line.includes('master'))
  const owns = (line, slot) => line.split(' ').slice(8).some((range) => { const [a, b = a] = range.split('-').map(Number); return slot >= a && slot <= b })
  const victimLine = lines.find((line) => args.kill === 'queue' ? owns(line, queueSlot) : !owns(line, queueSlot))
  const victimPort = Number(/:(\d+)@/.exec(victimLine)[1])
  const victim = cluster.nodes.find((node) => node.port === victimPort)

  const accepted = []
  const refused = []
  const other = []
  const latencies = []
  const started = Date.now()
  const killAt = started + Number(args.seconds) * 1000 / 3
  const submitter = (async () => {
    while (Date.now() - started < Number(args.seconds) * 1000) {
      const at = Date.now()
      const sentAt = performance.now()
      const res = await fetch(`${base}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:8' }) }).catch((err) => ({ status: 0, err }))
      if (res.status === 201) {
        accepted.push((await res.json()).id)
        latencies.push(performance.now() - sentAt)
      } else if (res.status === 503) {
        refused.push(at)
        await res.text()
      } else {
        other.push(res.status)
        await res.text?.()
      }
      await sleep(10)
    }
  })()
  await sleep(killAt - Date.now())
  let killedAt = Number.NaN
  let promotedAt = Number.NaN
  if (args.kill !== 'none') {
    await victim.kill()
    killedAt = Date.now()
    say(`killed master 127.0.0.1:${victimPort} (${args.kill === 'queue' ? 'the queue\'s slot' : 'job records only'}) at ${killedAt - started} ms`)
    const survivor = cluster.nodes.find((node) => node.alive())
    await waitFor(async () => (await cluster.cli(survivor.port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok') && !(await cluster.masterPorts()).includes(victimPort), { timeoutMs: 30_000, intervalMs: 50, what: 'a replica to take over' })
    promotedAt = Date.now()
  }
  await submitter
  // Drain: every accepted job should complete (or be found failed, or missing: lost).
  const deadline = Date.now() + 60_000
  let states = {}
  for (;;) {
    states = {}
    for (let i = 0; i < accepted.length; i += 100) {
      const batch = await Promise.all(accepted.slice(i, i + 100).map(async (id) => { const res = await fetch(`${base}/jobs/${id}`); return res.status === 200 ? (await res.json()).status : `http ${res.status}` }))
      for (const state of batch) states[state] = (states[state] ?? 0) + 1
    }
    if ((states.complete ?? 0) === accepted.length || Date.now() > deadline) break
    await sleep(500)
  }
  const errors = {}
  for (const id of accepted) {
    const res = await fetch(`${base}/jobs/${id}`)
    const job = res.status === 200 ? await res.json() : { status: `http ${res.status}` }
    if (job.status !== 'complete') errors[job.error ?? job.status] = (errors[job.error ?? job.status] ?? 0) + 1
  }
  const unavailable = refused.length === 0 ? 0 : Math.max(...refused) - Math.min(...refused)
  const crossSlot = services.flatMap((service) => service.logs).filter((line) => /CROSSSLOT|non local key/.test(JSON.stringify(line))).length
  process.stdout.write(JSON.stringify({
    killed: args.kill,
    wait_replicas: Number(args.wait),
    seconds: Number(args.seconds),
    accepted: accepted.length,
    lost: accepted.length - (states.complete ?? 0),
    states,
    not_complete: errors,
    refused_503: refused.length,
    other_errors: other.length,
    answered_503_ms: unavailable,
    first_503_after_kill_ms: refused.length === 0 ? null : Math.min(...refused) - killedAt,
    failover_ms: promotedAt - killedAt || null,
    post_jobs_201_median_ms: Number((latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)] ?? Number.NaN).toFixed(2)),
    cross_slot_log_lines: crossSlot
  }) + '\n')
} finally {
  await Promise.all(services.map(async (service) => await service.stop('SIGKILL')))
  await cluster.stop()
}
