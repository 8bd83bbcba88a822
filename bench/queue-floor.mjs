// How fast a crash-safe Redis-list queue can go at concurrency 1 with node-redis, beside BullMQ in
// the same run: `node bench/queue-floor.mjs [runs]`. Not a `pnpm bench` group: an experiment that
// says how much of the no-op row's gap to its target is the pattern and how much is genejobs' own
// work per job. The floor is one script per job that finishes the previous job (record complete,
// result written, id off the processing list) and claims the next (LMOVE into the processing list,
// record in progress, returned): one round trip per job, as BullMQ's `moveToFinished` takes. It
// leaves out what genejobs adds: the claim's fence (attempts as token), the active hash, the
// published events, TTLs, the job listing, and a second script call per job.
import { randomUUID } from 'node:crypto'
import { createClient } from 'redis'
import { bullmqNoopRun } from './bullmq.mjs'
import { withScope } from './lib.mjs'
import { redisCpuSeconds, startRedis } from './services.mjs'

const TOTAL = 20_000
const BATCH = 1000
const FINISH_AND_CLAIM = `
if ARGV[1] ~= '' then
  redis.call('HSET', 'job:{' .. ARGV[1] .. '}', 'status', 'complete', 'finished_at', ARGV[3])
  redis.call('HSET', 'result:{' .. ARGV[1] .. '}', 'json', ARGV[2])
  redis.call('LREM', KEYS[2], 1, ARGV[1])
end
local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
if not id then return false end
local record = 'job:{' .. id .. '}'
redis.call('HSET', record, 'status', 'in progress', 'started_at', ARGV[3])
redis.call('HINCRBY', record, 'attempts', 1)
local reply = redis.call('HGETALL', record)
table.insert(reply, 1, id)
return reply`

/** One floor run on a fresh Redis: jobs added in batches while one loop runs them. */
async function floorRun (total) {
  return await withScope(async (scope) => {
    const redis = await startRedis(scope)
    const client = createClient({ url: redis.url })
    await client.connect()
    scope.defer(async () => { await client.close() })
    const sha = await client.scriptLoad(FINISH_AND_CLAIM)
    const [redisBefore, nodeBefore, started] = [await redisCpuSeconds(client) * 1e6, process.cpuUsage(), performance.now()]
    const producer = (async () => {
      for (let sent = 0; sent < total; sent += BATCH) {
        const ids = Array.from({ length: Math.min(BATCH, total - sent) }, () => randomUUID())
        const now = String(Date.now())
        await Promise.all(ids.map(async (id) => await client.hSet(`job:{${id}}`, ['status', 'submitted', 'analysis', 'noop', 'params', '{}', 'created_at', now, 'attempts', '0'])))
        await client.lPush('pending', ids)
      }
    })()
    let done = 0
    let previous = ''
    while (done < total) {
      const reply = await client.evalSha(sha, { keys: ['pending', 'processing'], arguments: [previous, '{"summary":{},"rows":[]}', String(Date.now())] })
      if (previous !== '') done++
      if (reply === null) {
        previous = ''
        await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      previous = reply[0]
      const fields = {}
      for (let i = 1; i < reply.length; i += 2) fields[reply[i]] = reply[i + 1]
      JSON.parse(fields.params) // the job's parameters, as a worker reads them
    }
    await producer
    const ms = performance.now() - started
    const nodeCpu = process.cpuUsage(nodeBefore)
    return { jobsPerSecond: total / (ms / 1000), redisUs: (await redisCpuSeconds(client) * 1e6 - redisBefore) / total, nodeUs: (nodeCpu.user + nodeCpu.system) / total }
  })
}

const runs = Number(process.argv[2] ?? 3)
for (let run = 1; run <= runs; run++) {
  const floor = await floorRun(TOTAL)
  const bullmq = await bullmqNoopRun(TOTAL, 1)
  process.stdout.write(`run ${run}/${runs}: floor ${Math.round(floor.jobsPerSecond)} jobs/s (Redis ${floor.redisUs.toFixed(0)} µs, Node ${floor.nodeUs.toFixed(0)} µs of CPU per job), BullMQ ${Math.round(bullmq.jobsPerSecond)} jobs/s: ${(floor.jobsPerSecond / bullmq.jobsPerSecond).toFixed(2)}×\n`)
}
