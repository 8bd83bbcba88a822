#!/usr/bin/env node
// The chaos soak: `pnpm chaos --seconds N [--workers W]`. Starts its own redis-server (append-only,
// fsync always), the API and W workers with the test analyses on, submits jobs continuously over
// HTTP, and meanwhile SIGKILLs and SIGSTOPs (2-10 s) random workers, restarts them, and kills and
// restarts Redis (once in the middle of a POST /data reload). Then it lets the queue drain and
// checks the invariants; it prints one JSON line and exits 1 on any violation.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from 'redis'
import { createKeys, loadConfig } from '@genejobs/jobs-core'
import { freePort, realDataPath, startRedisServer, startService, waitFor, writeSyntheticHgnc } from '@genejobs/test-support'
import { checkInvariants } from './chaos/invariants.mjs'
import { nextRequest } from './chaos/requests.mjs'

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, workers: { type: 'string', default: '6' }, seed: { type: 'string', default: String(Date.now() % 100_000) } } })
const seconds = Number(args.seconds)
const workerCount = Number(args.workers)
if (!(seconds > 0) || !(workerCount > 0)) {
  process.stderr.write('usage: pnpm chaos --seconds N [--workers W] [--seed S]\n')
  process.exit(2)
}
let seed = Number(args.seed)
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const between = (low, high) => low + Math.floor(random() * (high - low + 1))
/** The most job ids the submitter lets wait in the queue. */
const MAX_BACKLOG = 60
const say = (message) => process.stderr.write(`chaos: ${message}\n`)
const sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms))

const work = await mkdtemp(join(tmpdir(), 'genejobs-chaos-'))
const counts = { jobs: 0, refused: 0, kills: 0, freezes: 0, redis_restarts: 0 }
const accepted = []
const services = []
let redis
let failure
try {
  // A real data set when there is one; otherwise a made-up one big enough that a load takes a while.
  const real = realDataPath('hgnc_complete_set.json.gz')
  const source = process.env.HGNC_SOURCE ?? ('path' in real ? real.path : join(work, 'synthetic.json.gz'))
  if (!('path' in real) && process.env.HGNC_SOURCE === undefined) await writeSyntheticHgnc(source, 40_000)

  redis = await startRedisServer({ appendOnly: true, appendfsync: 'always', extraArgs: ['--notify-keyspace-events', 'Kh'] })
  const port = await freePort()
  const env = {
    ...redis.env,
    HGNC_SOURCE: source,
    PORT: String(port),
    HOST: '127.0.0.1',
    ENABLE_TEST_ANALYSES: 'true',
    STALLED_AFTER_MS: '3000',
    RETRY_BACKOFF_MS: '200',
    RETRY_BACKOFF_MAX_MS: '2000',
    MAX_ATTEMPTS: '5',
    RATE_LIMIT_JOBS_PER_MINUTE: '0',
    RATE_LIMIT_HEAVY_PER_MINUTE: '0',
    LOG_LEVEL: 'warn'
  }
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' })
  const keys = createKeys(config.keyPrefix)
  const api = startService('api', env)
  services.push(api)
  const workers = []
  const startWorker = () => { const worker = startService('worker', env); workers.push(worker); services.push(worker); return worker }
  for (let i = 0; i < workerCount; i++) startWorker()
  const baseUrl = `http://127.0.0.1:${port}`
  const http = async (method, path, body) => {
    const res = await fetch(baseUrl + path, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) })
    const text = await res.text()
    let parsed = text
    try { parsed = JSON.parse(text) } catch {}
    return { status: res.status, body: parsed }
  }
  await waitFor(async () => (await http('GET', '/health').catch(() => ({ status: 0 }))).status === 200, { timeoutMs: 60_000, what: 'the API' })
  const load = await http('POST', '/data')
  if (load.status !== 201) throw new Error(`the first load answered ${load.status}: ${JSON.stringify(load.body)}`)
  say(`loaded ${load.body.loaded} genes from ${source}; ${workerCount} workers; ${seconds} s; seed ${args.seed}`)

  // Result writes, counted through keyspace notifications (re-subscribed after each Redis restart).
  const resultWrites = new Map()
  const subscriber = createClient({ socket: { host: '127.0.0.1', port: redis.port, reconnectStrategy: () => 200 } })
  subscriber.on('error', () => {})
  await subscriber.connect()
  const pattern = `__keyspace@${config.databases.jobs}__:${keys.results.result('*')}`
  const countWrites = (event, channel) => { if (event === 'hset') resultWrites.set(channel, (resultWrites.get(channel) ?? 0) + 1) }
  await subscriber.pSubscribe(pattern, countWrites)
  // Redis replays its append-only file at start-up and notifies every write it replays: listen
  // only while it serves clients, or every result written before a restart would count twice.
  const pinger = createClient({ socket: { host: '127.0.0.1', port: redis.port, reconnectStrategy: () => 200 } })
  pinger.on('error', () => {})
  await pinger.connect()
  const restartRedis = async () => {
    await subscriber.pUnsubscribe(pattern)
    await redis.kill()
    counts.redis_restarts++
    await sleep(between(1000, 2500))
    await redis.restart()
    await waitFor(async () => await pinger.ping().then(() => true, () => false), { timeoutMs: 60_000, what: 'Redis to finish loading' })
    await subscriber.pSubscribe(pattern, countWrites)
  }

  const endAt = Date.now() + seconds * 1000
  // Submits continuously, but keeps the backlog bounded, as a client that watches the queue would:
  // the soak tests recovery, not how long a 2-core machine takes to work off hours of submissions.
  const submitter = (async () => {
    while (Date.now() < endAt) {
      if (await pinger.lLen(keys.queue.pending).catch(() => 0) > MAX_BACKLOG) {
        await sleep(200)
        continue
      }
      const request = nextRequest(random, load.body.loaded)
      const res = await http('POST', '/jobs', request).catch((err) => ({ status: 0, body: String(err) }))
      if (res.status === 201) accepted.push({ id: res.body.id, analysis: request.analysis })
      else counts.refused++
      await sleep(between(5, 40))
    }
  })()

  // Redis dies twice: once mid-run, once in the middle of a reload.
  const redisKillAt = [Date.now() + seconds * 300, Date.now() + seconds * 650]
  const alive = () => workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null)
  while (Date.now() < endAt) {
    await sleep(between(1500, 4000))
    if (Date.now() >= endAt) break
    if (redisKillAt.length > 0 && Date.now() >= redisKillAt[0]) {
      const duringLoad = redisKillAt.length === 1
      redisKillAt.shift()
      const reload = duringLoad ? http('POST', '/data').catch((err) => ({ status: 0, body: String(err) })) : undefined
      if (duringLoad) await sleep(between(200, 600))
      await restartRedis()
      say(`killed and restarted redis-server${duringLoad ? ' in the middle of POST /data' : ''}`)
      if (reload !== undefined) say(`the interrupted reload answered ${(await reload).status}`)
      continue
    }
    const victim = alive()[between(0, Math.max(0, alive().length - 1))]
    if (victim === undefined) continue
    if (random() < 0.5) {
      await victim.stop('SIGKILL')
      counts.kills++
      startWorker()
    } else {
      victim.child.kill('SIGSTOP')
      counts.freezes++
      setTimeout(() => { victim.child.kill('SIGCONT') }, between(2000, 10_000))
    }
  }
  await submitter
  for (const worker of workers) worker.child.kill('SIGCONT')
  counts.jobs = accepted.length
  say(`submitted ${accepted.length} jobs (${counts.refused} refused); draining`)

  const report = await checkInvariants({ http, redis, keys, config, accepted, resultWrites, api })
  await Promise.all([subscriber.close(), pinger.close()]).catch(() => {})
  const line = { jobs: counts.jobs, complete: report.complete, failed: report.failed, lost: report.lost, duplicated: report.duplicated, stuck: report.stuck, kills: counts.kills, freezes: counts.freezes, redis_restarts: counts.redis_restarts }
  process.stdout.write(`${JSON.stringify(line)}\n`)
  if (report.violations.length > 0) failure = report.violations
} catch (err) {
  failure = [String(err?.stack ?? err)]
} finally {
  await Promise.all(services.map(async (service) => { service.child.kill('SIGCONT'); await service.stop('SIGKILL') }))
  await redis?.stop()
  await rm(work, { recursive: true, force: true })
}
if (failure !== undefined) {
  for (const violation of failure) say(`VIOLATION: ${violation}`)
  process.exit(1)
}
