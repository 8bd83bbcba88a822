import { fixturePath, freePort, startRedisServer, startService, waitFor, type RedisServer, type ServiceProcess } from '@genejobs/test-support'

/** redis-server, the API and N workers as real processes, with an HTTP helper for the API. */
export interface Stack {
  redis: RedisServer
  api: ServiceProcess
  workers: ServiceProcess[]
  baseUrl: string
  env: Record<string, string>
  /** Sends a request to the API; returns status and parsed JSON body. */
  http: (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>
  startWorker: (extraEnv?: Record<string, string>) => ServiceProcess
}

/** Starts the whole stack (HGNC_SOURCE = the fixture) and registers its teardown on `t`. */
export async function startStack (t: { teardown: (fn: () => Promise<void>) => void }, options: { workers: number, env?: Record<string, string>, appendOnly?: boolean, appendfsync?: 'always' | 'everysec', redisArgs?: string[] }): Promise<Stack> {
  const redis = await startRedisServer({ appendOnly: options.appendOnly ?? false, ...(options.appendfsync !== undefined ? { appendfsync: options.appendfsync } : {}), extraArgs: options.redisArgs ?? [] })
  return { redis, ...await startServices(t, { ...redis.env, ...options.env }, options.workers, async () => { await redis.stop() }) }
}

/** The API and the workers of a stack, pointed at Redis by `env`, without Redis itself. */
export type Services = Omit<Stack, 'redis'>

/**
 * Starts the API and `workers` workers with `env` (which says where Redis is), waits until they
 * answer, and on teardown kills them, then runs `stopRedis`.
 */
export async function startServices (t: { teardown: (fn: () => Promise<void>) => void }, redisEnv: Record<string, string>, workerCount: number, stopRedis: () => Promise<void>): Promise<Services> {
  const port = await freePort()
  const env = { HGNC_SOURCE: fixturePath('genes.json'), PORT: String(port), HOST: '127.0.0.1', ...redisEnv }
  const api = startService('api', env)
  const workers: ServiceProcess[] = []
  const startWorker = (extraEnv: Record<string, string> = {}) => {
    const worker = startService('worker', { ...env, ...extraEnv })
    workers.push(worker)
    return worker
  }
  for (let i = 0; i < workerCount; i++) startWorker()
  t.teardown(async () => {
    await Promise.all([api, ...workers].map(async (service) => await service.stop('SIGKILL')))
    await stopRedis()
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const http = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(baseUrl + path, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {})
    })
    const text = await res.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch {}
    return { status: res.status, body: parsed as any }
  }
  await waitFor(async () => (await http('GET', '/health')).status === 200, { timeoutMs: 60_000, what: 'the API to answer /health' })
  for (const worker of workers) await worker.waitForLog((line) => line.msg === 'worker started', 'worker started', 30_000)
  return { api, workers, baseUrl, env, http, startWorker }
}
