import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from './wait-for.js'

/** Options for a throwaway redis-server. */
export interface RedisServerOptions {
  /** Turn on append-only persistence (fsync every second), as compose runs Redis. */
  appendOnly?: boolean
  /** Require this password (`requirepass`). */
  password?: string
  /**
   * When append-only writes are flushed (default `everysec`, as compose runs Redis). With
   * `everysec` Redis may acknowledge a write whose AOF write it postponed behind a slow fsync, so a
   * SIGKILL can lose it; `always` writes and syncs before every reply.
   */
  appendfsync?: 'always' | 'everysec'
  /** More `redis-server` arguments, kept across restarts (e.g. `['--notify-keyspace-events', 'Kh']`). */
  extraArgs?: string[]
}

/** A redis-server process started for one test file, on its own port and temp directory. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  readonly dir: string
  /** Environment variables that point genejobs at this server. */
  readonly env: Record<string, string>
  /** Kills the server with SIGKILL (no save, no goodbye), as a crash would. */
  kill: () => Promise<void>
  /** Starts the server again on the same port and directory (after `kill`). */
  restart: () => Promise<void>
  /** Stops the server and removes its directory. */
  stop: () => Promise<void>
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')) })
    })
  })
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
export async function isListening (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = new Socket()
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { socket.destroy(); resolve(false) })
    socket.connect(port, '127.0.0.1')
  })
}

/**
 * Starts `redis-server` on a free port with its files in a new temp directory, and waits until it
 * accepts connections. Never touches the machine's own Redis on 6379.
 */
export async function startRedisServer (options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genejobs-redis-'))
  let port = 0
  let child: ChildProcess | undefined
  const args = () => [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', options.appendOnly === true ? 'yes' : 'no', '--appendfsync', options.appendfsync ?? 'everysec',
    ...(options.password !== undefined ? ['--requirepass', options.password] : []),
    ...(options.extraArgs ?? [])
  ]
  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', args(), { stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    let output = ''
    started.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    started.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    let exited = false
    started.once('exit', () => { exited = true })
    await waitFor(async () => exited || await isListening(port), { timeoutMs: 10_000, what: `redis-server on port ${port}` })
    if (exited) throw new Error(`redis-server exited at start-up:\n${output}`)
  }
  for (let attempt = 0; ; attempt++) {
    port = await freePort()
    try {
      await launch()
      break
    } catch (err) {
      if (attempt >= 3) throw err // another process may have taken the port; try a new one
    }
  }
  const stopChild = async (signal: NodeJS.Signals) => {
    const running = child
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve())
      running.kill(signal)
    })
  }
  const auth = options.password !== undefined ? `:${encodeURIComponent(options.password)}@` : ''
  return {
    port,
    dir,
    url: `redis://${auth}127.0.0.1:${port}`,
    env: {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
      ...(options.password !== undefined ? { REDIS_PASSWORD: options.password } : {})
    },
    kill: async () => { await stopChild('SIGKILL') },
    restart: async () => { await launch() },
    stop: async () => {
      await stopChild('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    }
  }
}
