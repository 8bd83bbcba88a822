#!/usr/bin/env node
// `pnpm start` (or `npm start`): the one-command way to run genejobs on a machine with Node >= 20.
// Installs dependencies when missing, builds, makes sure a Redis answers (starting a local
// redis-server with its files in ./data when none does), then runs the API and the worker(s) until
// it is told to stop. Written with Node built-ins only, so it runs before `pnpm install`.
//
// Stopping: the services and redis-server run in their own process groups, so a Ctrl-C (SIGINT to
// the terminal's foreground group) or a SIGTERM reaches only this launcher (and pnpm), which stops
// them in order: workers finish their jobs, then the API, then the redis-server it started. The
// launcher also stops when the process that ran it goes away (pnpm killed), and a watchdog
// (start/guard.mjs) stops everything if the launcher itself is killed with SIGKILL.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureRedis, onPath, waitUntilAnswers } from './start/redis.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const say = (message) => process.stderr.write(`genejobs: ${message}\n`)
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`

/** pnpm itself, or through corepack / npx when it is not installed. */
function pnpm () {
  if (onPath('pnpm')) return ['pnpm', []]
  if (onPath('corepack')) return ['corepack', ['pnpm']]
  return ['npx', ['--yes', 'pnpm@10']]
}

function run (command, args) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0
}

function installAndBuild () {
  const [command, prefix] = pnpm()
  if (!existsSync(join(root, 'node_modules'))) {
    say('first run: installing the dependencies with pnpm (about 10 to 30 s, once)…')
    const started = performance.now()
    if (!run(command, [...prefix, 'install', '--frozen-lockfile'])) process.exit(1)
    say(`installed in ${seconds(started)}`)
  }
  say('building (TypeScript: up to a minute the first time, seconds after)…')
  const started = performance.now()
  if (!run(command, [...prefix, 'run', '--silent', 'build'])) {
    say('the build failed; see the errors above')
    process.exit(1)
  }
  say(`built in ${seconds(started)}`)
}

/** Where `pnpm start`'s own redis-server keeps its files: DATA_DIR (relative to where the command was run), else ./data. */
function dataDirectory () {
  const given = process.env.DATA_DIR
  const dir = given === undefined || given === '' ? join(root, 'data') : resolve(process.env.INIT_CWD ?? process.cwd(), given)
  const shown = relative(process.cwd(), dir)
  return [dir, shown === '' ? '.' : shown.startsWith('..') || shown.startsWith('/') ? dir : `./${shown}`]
}

async function loadSettings () {
  const { loadConfig, ConfigError } = await import('../packages/jobs-core/dist/index.js')
  try {
    const config = loadConfig(process.env)
    const workers = Number(process.env.WORKERS ?? 1)
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
      say(`WORKERS=${JSON.stringify(process.env.WORKERS)} is invalid: expected a whole number from 1 to 64`)
      process.exit(2)
    }
    return { config, workers }
  } catch (err) {
    if (err instanceof ConfigError) {
      say(err.message)
      process.exit(2)
    }
    throw err
  }
}

/** Sends `signal` to each child still running and waits up to `timeoutMs`, then SIGKILLs the rest. */
async function stopChildren (children, signal, timeoutMs) {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null)
  await Promise.all(running.map(async (child) => await new Promise((resolve) => {
    const timer = setTimeout(() => { say(`pid ${child.pid} did not stop within ${timeoutMs} ms; killing it`); child.kill('SIGKILL') }, timeoutMs)
    child.once('exit', () => { clearTimeout(timer); resolve() })
    child.kill(signal)
  })))
}

async function main () {
  installAndBuild()
  const { config, workers } = await loadSettings()
  const [dataDir, shownDataDir] = dataDirectory()

  // The watchdog first, so it knows every pid before anything can go wrong.
  const guard = spawn(process.execPath, [join(root, 'scripts/start/guard.mjs')], { stdio: ['pipe', 'ignore', 'inherit'], detached: true })
  guard.stdin.on('error', () => {})
  const tellGuard = (line) => { if (guard.stdin.writable) guard.stdin.write(`${line}\n`) }

  const redis = await ensureRedis(config, dataDir, shownDataDir, say)
  if (redis !== undefined) tellGuard(`redis ${redis.pid}`)
  const service = (entry, role) => {
    const child = spawn(process.execPath, [join(root, entry)], { stdio: ['ignore', 'inherit', 'inherit'], detached: true })
    tellGuard(`${role} ${child.pid}`)
    return child
  }
  const api = service('packages/api/dist/server.js', 'api')
  const workerProcesses = Array.from({ length: workers }, () => service('packages/worker/dist/main.js', 'worker'))

  let stopping = false
  let firstSignalAt = 0
  const stop = async (code, why) => {
    stopping = true
    const started = performance.now()
    say(`${why}: stopping — the worker${workers > 1 ? 's finish their' : ' finishes its'} jobs first (up to SHUTDOWN_TIMEOUT_MS), then the API${redis !== undefined ? ', then redis-server' : ''}`)
    await stopChildren(workerProcesses, 'SIGTERM', config.worker.shutdownTimeoutMs + 5000)
    await stopChildren([api], 'SIGTERM', 15_000)
    if (redis !== undefined) {
      await stopChildren([redis], 'SIGTERM', 15_000)
      say(`stopped the redis-server started for this run (its data stays in ${shownDataDir})`)
    }
    tellGuard('done')
    guard.stdin.end()
    say(`stopped in ${seconds(started)}`)
    process.exit(code)
  }
  const onSignal = (signal) => {
    // One Ctrl-C can arrive twice (from the terminal and forwarded by pnpm): a second signal forces
    // the stop only when it comes a moment later.
    if (stopping) {
      if (Date.now() - firstSignalAt < 1500) return
      say(`${signal} again: killing everything now`)
      for (const child of [...workerProcesses, api, ...(redis !== undefined ? [redis] : [])]) child.kill('SIGKILL')
      tellGuard('done')
      process.exit(1)
    }
    firstSignalAt = Date.now()
    stop(0, signal === 'SIGINT' ? 'Ctrl-C' : signal).catch(() => process.exit(1))
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal))
  for (const child of [api, ...workerProcesses]) {
    child.once('exit', (code, signal) => {
      if (stopping) return
      stop(code === 0 ? 1 : (code ?? 1), `a service exited (${signal ?? `code ${code}`})`).catch(() => process.exit(1))
    })
  }
  // Killing pnpm (or whatever ran this) leaves this process orphaned, with nobody to stop it.
  const parent = process.ppid
  setInterval(() => {
    if (!stopping && process.ppid !== parent) stop(0, 'the process that started this one has gone').catch(() => process.exit(1))
  }, 500).unref()

  const { host, port } = config.api
  const dialHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  if (await waitUntilAnswers(dialHost, port, api, 30_000)) {
    const where = host === '0.0.0.0' || host === '::' ? `every interface, port ${port} (http://127.0.0.1:${port} from this machine)` : `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    const page = `http://${dialHost.includes(':') ? `[${dialHost}]` : dialHost}:${port}/`
    say(`API listening on ${where}, ${workers} worker(s); this keeps running until Ctrl-C, which stops everything`)
    say(`dashboard: open ${page} in a browser`)
  } else if (!stopping) {
    say(`the API does not answer on ${dialHost}:${port}; see its log above`)
  }
}

await main()
