// `pnpm start` as a user meets it (issue 11): the real launcher, its own redis-server on a free port
// in a temp folder, stopped the ways a terminal, a process manager or a crash stop it. Nothing may be
// left running or listening afterwards.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { fixturePath, freePort, isListening, waitFor } from '@genejobs/test-support'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A running launcher: its process, everything it printed so far, and its ports. */
interface Launcher {
  child: ChildProcess
  output: () => string
  apiPort: number
  redisPort: number
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/** Runs `command args` in the project (its own process group, as a terminal would), with its own ports and data folder. */
async function launch (t: Test, command: string, args: string[]): Promise<Launcher> {
  const [apiPort, redisPort] = [await freePort(), await freePort()]
  const dataDir = await mkdtemp(join(tmpdir(), 'genejobs-start-'))
  const env: Record<string, string | undefined> = { ...process.env }
  for (const name of ['REDIS_URL', 'REDIS_HOST', 'REDIS_PASSWORD', 'REDIS_USERNAME', 'HOST', 'API_ADMIN_TOKEN', 'WORKERS']) delete env[name]
  Object.assign(env, {
    PORT: String(apiPort),
    REDIS_PORT: String(redisPort),
    DATA_DIR: dataDir,
    HGNC_SOURCE: fixturePath('genes.json'),
    SHUTDOWN_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info'
  })
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  t.teardown(async () => {
    // Whatever a failed test left behind: the whole group, then the ports' owners through the guard.
    try { process.kill(-(child.pid ?? 0), 'SIGKILL') } catch { // already gone
    }
    await rm(dataDir, { recursive: true, force: true })
  })
  await waitFor(() => output.includes('API listening on'), { timeoutMs: 45_000, intervalMs: 100, what: `the launcher to start; it printed:\n${output}` })
  return { child, output: () => output, apiPort, redisPort, exited }
}

/** Waits until neither the API nor redis-server listens any more. */
async function nothingListens (launcher: Launcher, timeoutMs: number): Promise<void> {
  await waitFor(async () => !(await isListening(launcher.apiPort)) && !(await isListening(launcher.redisPort)), {
    timeoutMs, intervalMs: 100, what: 'the API and redis-server to stop listening'
  })
}

async function http (port: number, method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {})
  })
  return { status: res.status, body: await res.json() }
}

/** A calm stop: the launcher's lines, no error logs, no stack traces, no red pnpm failure. */
function assertCalm (t: Test, output: string): void {
  t.match(output, 'stopped the redis-server started for this run', 'redis-server stopped last, and said so')
  t.notMatch(output, /ELIFECYCLE|Command failed/, 'no pnpm failure line')
  t.notMatch(output, /Socket closed unexpectedly|ECONNREFUSED|\n\s+at /, 'no connection errors or stack traces')
  const errors = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number, msg: string }).filter((line) => line.level >= 50)
  t.same(errors, [], 'no error log lines')
}

t.test('pnpm start: first start says what it does, listens on loopback, loads data and runs a job; Ctrl-C stops it calmly', async (t) => {
  const launcher = await launch(t, 'pnpm', ['start'])
  t.match(launcher.output(), /building .*\n.*built in \d+\.\d s/, 'says it builds, and how long it took')
  t.match(launcher.output(), `API listening on http://127.0.0.1:${launcher.apiPort},`, 'the address really bound')
  t.match(launcher.output(), `dashboard: open http://127.0.0.1:${launcher.apiPort}/ in a browser`, 'and says where the dashboard is')
  t.match(launcher.output(), `"msg":"Server listening at http://127.0.0.1:${launcher.apiPort}"`, 'the API bound loopback only')
  t.equal((await http(launcher.apiPort, 'POST', '/jobs', { hgnc_id_start: '1', hgnc_id_end: '100' })).status, 409, 'no data yet: refused')
  t.equal((await http(launcher.apiPort, 'POST', '/data')).status, 201)
  const job = await http(launcher.apiPort, 'POST', '/jobs', { hgnc_id_start: '1', hgnc_id_end: '100000' })
  t.equal(job.status, 201)
  await waitFor(async () => (await http(launcher.apiPort, 'GET', `/jobs/${String(job.body.id)}`)).body.status === 'complete', { timeoutMs: 15_000, what: 'the job to complete' })

  process.kill(-(launcher.child.pid ?? 0), 'SIGINT') // what a terminal's Ctrl-C does: the whole foreground group
  t.same(await launcher.exited, { code: 0, signal: null }, 'pnpm start exits 0')
  await nothingListens(launcher, 2000)
  assertCalm(t, launcher.output())
  t.ok(launcher.output().indexOf('"msg":"worker stopped"') < launcher.output().indexOf('"name":"genejobs-api","signal":"SIGTERM"'), 'the worker stopped before the API began to')
})

t.test('SIGINT to the pnpm process alone (an IDE, kill -INT) stops everything and exits 0', async (t) => {
  const launcher = await launch(t, 'pnpm', ['start'])
  process.kill(launcher.child.pid ?? 0, 'SIGINT')
  t.same(await launcher.exited, { code: 0, signal: null })
  await nothingListens(launcher, 2000)
  assertCalm(t, launcher.output())
})

t.test('SIGTERM to the npm start process alone (a process manager, kill PID) stops everything', async (t) => {
  const launcher = await launch(t, 'npm', ['start'])
  process.kill(launcher.child.pid ?? 0, 'SIGTERM')
  await launcher.exited
  await nothingListens(launcher, 5000 + 5000) // SHUTDOWN_TIMEOUT_MS plus a few seconds
  await waitFor(() => launcher.output().includes('stopped the redis-server'), { timeoutMs: 5000, what: 'the launcher to report the stop' })
})

t.test('a launcher killed with SIGKILL leaves nothing running for more than a few seconds', async (t) => {
  const launcher = await launch(t, process.execPath, ['scripts/start.mjs'])
  t.ok(await isListening(launcher.apiPort) && await isListening(launcher.redisPort), 'API and redis-server up')
  process.kill(launcher.child.pid ?? 0, 'SIGKILL')
  // The watchdog stops workers, API and redis-server in turn, giving each at most 3 s (and this
  // machine may be busy): a few seconds, not minutes.
  await nothingListens(launcher, 12_000)
  await waitFor(() => launcher.output().includes('the launcher was killed; stopped the processes it had started'), { timeoutMs: 5000, what: 'the watchdog to report' })
  t.pass('the watchdog stopped the workers, the API and redis-server')
})
