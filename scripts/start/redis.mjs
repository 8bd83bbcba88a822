// The Redis side of `pnpm start`: is one answering, and if not, start a local redis-server with its
// files in the data folder. Node built-ins only (this runs before `pnpm install` has finished).
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { Socket } from 'node:net'

/**
 * How `pnpm start` runs its own redis-server, beside the port, folder and password: append-only
 * persistence as compose runs it, and an AOF rewrite whenever the file has grown by a quarter since
 * the last one (from 4 MB), so that reloads of the gene set, which replace one version by the next,
 * do not pile up in `./data`. compose.yaml passes the same settings (test/deploy-files.test.ts).
 */
export const REDIS_PERSISTENCE_ARGS = [
  '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '',
  '--auto-aof-rewrite-percentage', '25', '--auto-aof-rewrite-min-size', '4mb'
]

/** Whether `command` is on PATH. */
export function onPath (command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/** Whether something accepts TCP connections at host:port (within a second). */
export async function answers (host, port) {
  return await new Promise((resolve) => {
    const socket = new Socket()
    socket.setTimeout(1000)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => { socket.destroy(); resolve(false) })
    socket.connect(port, host)
  })
}

/** Waits until host:port answers; false when `child` exits first or after `timeoutMs`. */
export async function waitUntilAnswers (host, port, child, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false
    if (await answers(host, port)) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

/** Where the config says Redis is (REDIS_URL wins over REDIS_HOST/REDIS_PORT). */
function redisLocation (config) {
  if (config.redis.url !== undefined) {
    const url = new URL(config.redis.url)
    return { host: url.hostname || '127.0.0.1', port: Number(url.port || 6379), password: decodeURIComponent(url.password) || undefined }
  }
  return { host: config.redis.host, port: config.redis.port, password: config.redis.password }
}

/**
 * Makes sure a Redis answers where the config says. Returns the redis-server child it started, or
 * undefined when one was already running. The child runs in its own process group, so a Ctrl-C in
 * the terminal does not reach it: the launcher stops it last, after the services that use it.
 */
export async function ensureRedis (config, dataDir, shownDataDir, say) {
  const { host, port, password } = redisLocation(config)
  if (await answers(host, port)) {
    say(`using the Redis at ${host}:${port}`)
    return undefined
  }
  const local = ['127.0.0.1', 'localhost', '::1'].includes(host)
  if (!local || !onPath('redis-server')) {
    say(`no Redis answers at ${host}:${port}${local ? ' and redis-server is not on PATH' : ''}.`)
    say('Get Redis 7 one of these ways, then run this again:')
    say('  - Debian/Ubuntu: sudo apt-get install redis-server    macOS: brew install redis')
    say('  - or run everything in containers: docker compose up')
    say('  - or point genejobs at a running server: REDIS_URL=redis://host:6379 (or REDIS_HOST/REDIS_PORT)')
    process.exit(1)
  }
  mkdirSync(dataDir, { recursive: true })
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, ...REDIS_PERSISTENCE_ARGS]
  if (password !== undefined) args.push('--requirepass', password)
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true })
  if (!(await waitUntilAnswers('127.0.0.1', port, child))) {
    if (child.exitCode === null) child.kill('SIGKILL')
    say(`redis-server did not start on port ${port}; run "redis-server --port ${port}" to see why`)
    process.exit(1)
  }
  say(`no Redis answered at ${host}:${port}, so started redis-server (pid ${child.pid}) with its files in ${shownDataDir}`)
  return child
}
