// The launcher's watchdog. `pnpm start` runs the API, the workers and redis-server in their own
// process groups (so a Ctrl-C reaches only the launcher, which stops them in order); if the launcher
// itself is killed with SIGKILL nobody would stop them. This process, started detached with a pipe
// on stdin, learns their pids ("worker <pid>", "api <pid>", "redis <pid>", one per line). When the
// pipe closes without "done", the launcher is gone: it stops them in the same order, workers first
// and redis-server last, each with SIGTERM and, after a few seconds, SIGKILL.
import { createInterface } from 'node:readline'

const ORDER = ['worker', 'api', 'redis']
/** How long each group may take to stop before it is killed. */
const STAGE_TIMEOUT_MS = 3000

const pids = { worker: new Set(), api: new Set(), redis: new Set() }
let done = false

function alive (pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function signal (pid, name) {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}

async function stopAll () {
  for (const role of ORDER) {
    const group = [...pids[role]].filter(alive)
    for (const pid of group) signal(pid, 'SIGTERM')
    const deadline = Date.now() + STAGE_TIMEOUT_MS
    while (group.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    for (const pid of group.filter(alive)) signal(pid, 'SIGKILL')
  }
  process.stderr.write('genejobs: the launcher was killed; stopped the processes it had started\n')
}

// The launcher's own Ctrl-C or SIGTERM is not for this process: it stops when told or orphaned.
process.on('SIGINT', () => {})
process.on('SIGHUP', () => {})

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [role, pid] = line.trim().split(' ')
  if (role === 'done') done = true
  else if (role !== undefined && role in pids && Number.isInteger(Number(pid))) pids[role].add(Number(pid))
})
lines.on('close', () => {
  if (done) process.exit(0)
  stopAll().then(() => process.exit(0), () => process.exit(1))
})
