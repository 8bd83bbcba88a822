#!/usr/bin/env node
// `pnpm start` (or `npm start`): the one-command way to run genejobs on a machine with Node >= 20.
// Installs dependencies when missing, builds, makes sure a Redis answers (starting a local
// redis-server with its files in ./data when none does), then runs the API and the worker(s) and
// stops them all on Ctrl-C. Written with Node built-ins only, so it runs before `pnpm install`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const say = (message) => process.stderr.write(`genejobs: ${message}\n`)

function run (command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  return result.status === 0
}

function onPath (command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/** pnpm itself, or through corepack / npx when it is not installed. */
function pnpm () {
  if (onPath('pnpm')) return ['pnpm', []]
  if (onPath('corepack')) return ['corepack', ['pnpm']]
  return ['npx', ['--yes', 'pnpm@10']]
}

function installAndBuild () {
  const [command, prefix] = pnpm()
  if (!existsSync(join(root, 'node_modules'))) {
    say('installing dependencies (first run)…')
    if (!run(command, [...prefix, 'install', '--frozen-lockfile'])) process.exit(1)
  }
  if (!run(command, [...prefix, 'run', '--silent', 'build'])) {
    say('the build failed; see the errors above')
    process.exit(1)
  }
}

async function answers (host, port) {
  return await new Promise((resolve) => {
    const socket = new Socket()
    socket.setTimeout(1000)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => { socket.destroy(); resolve(false) })
    socket.connect(port, host)
  })
}

async function waitUntilAnswers (host, port, child) {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false
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

async function ensureRedis (config) {
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
  const dataDir = join(root, 'data')
  mkdirSync(dataDir, { recursive: true })
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir,
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']
  if (password !== undefined) args.push('--requirepass', password)
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] })
  if (!(await waitUntilAnswers('127.0.0.1', port, child))) {
    say(`redis-server did not start on port ${port}; run "redis-server --port ${port}" to see why`)
    process.exit(1)
  }
  say(`no Redis answered at ${host}:${port}, so started redis-server (pid ${child.pid}) with its files in ./data`)
  return child
}

async function main () {
  installAndBuild()
  const { loadConfig, ConfigError } = await import('../packages/jobs-core/dist/index.js')
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      say(err.message)
      process.exit(2)
    }
    throw err
  }
  const workers = Number(process.env.WORKERS ?? 1)
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    say(`WORKERS=${JSON.stringify(process.env.WORKERS)} is invalid: expected a whole number from 1 to 64`)
    process.exit(2)
  }
  const redis = await ensureRedis(config)
  const services = [
    spawn(process.execPath, [join(root, 'packages/api/dist/server.js')], { stdio: 'inherit' }),
    ...Array.from({ length: workers }, () => spawn(process.execPath, [join(root, 'packages/worker/dist/main.js')], { stdio: 'inherit' }))
  ]
  say(`API on http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}, ${workers} worker(s); Ctrl-C stops everything`)

  let stopping = false
  const stop = async (code) => {
    if (stopping) return
    stopping = true
    const exits = services.map((child) => child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM') }))
    await Promise.all(exits)
    if (redis !== undefined && redis.exitCode === null) {
      await new Promise((resolve) => { redis.once('exit', resolve); redis.kill('SIGTERM') })
      say('stopped the redis-server started for this run (its data stays in ./data)')
    }
    process.exit(code)
  }
  process.on('SIGINT', () => { stop(0).catch(() => process.exit(1)) })
  process.on('SIGTERM', () => { stop(0).catch(() => process.exit(1)) })
  for (const child of services) {
    child.once('exit', (code, signal) => {
      if (stopping) return
      say(`a service exited (${signal ?? `code ${code}`}); stopping the others`)
      stop(code === 0 ? 1 : (code ?? 1)).catch(() => process.exit(1))
    })
  }
}

await main()
