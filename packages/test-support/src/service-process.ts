import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait-for.js'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** The built entry points of the two services. */
export const SERVICE_ENTRIES = {
  api: join(REPO_ROOT, 'packages/api/dist/server.js'),
  worker: join(REPO_ROOT, 'packages/worker/dist/main.js')
} as const

/** One pino log line, parsed. */
export type LogLine = Record<string, unknown> & { msg?: string, level?: number }

/** A genejobs service running as a real child process, with its JSON logs collected. */
export interface ServiceProcess {
  readonly child: ChildProcess
  /** Every JSON log line so far (non-JSON output is kept in `output`). */
  readonly logs: LogLine[]
  readonly output: string[]
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>
  /** Waits for a log line matching `predicate`. */
  waitForLog: (predicate: (line: LogLine) => boolean, what: string, timeoutMs?: number) => Promise<LogLine>
  /** Sends a signal and waits for the exit; returns the exit code or signal name. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>
}

/**
 * Starts `node <entry>` for the API or the worker with `env` added to this process's environment,
 * and collects its JSON log lines.
 */
export function startService (service: keyof typeof SERVICE_ENTRIES, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [SERVICE_ENTRIES[service]], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const logs: LogLine[] = []
  const output: string[] = []
  let partial = ''
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString()
    const lines = text.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      if (line.trim() === '') continue
      try {
        logs.push(JSON.parse(line) as LogLine)
      } catch {
        output.push(line)
      }
    }
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', (chunk: Buffer) => { output.push(chunk.toString()) })
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => { resolve(signal ?? code ?? -1) })
  })
  return {
    child,
    logs,
    output,
    exited,
    waitForLog: async (predicate, what, timeoutMs = 15_000) => await waitFor(() => logs.find(predicate), { timeoutMs, what: `${service} log: ${what} (output so far: ${output.join('').slice(-500)})` }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return await exited
    }
  }
}
