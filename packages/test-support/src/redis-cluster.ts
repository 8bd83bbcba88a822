import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort, isListening } from './redis-server.js'
import { waitFor } from './wait-for.js'

const run = promisify(execFile)

/** Options for a throwaway Redis Cluster. */
export interface RedisClusterOptions {
  /** How many masters (default 3, the fewest `redis-cli --cluster create` accepts). */
  masters?: number
  /** Replicas per master (default 0); with 1, killing a master fails it over to its replica. */
  replicasPerMaster?: number
  /** `cluster-node-timeout` (ms, default 2000): how long a master may be silent before failover. */
  nodeTimeoutMs?: number
}

/** One node of a test cluster. */
export interface ClusterNodeProcess {
  readonly port: number
  /** Kills the node with SIGKILL, as a crash would. */
  kill: () => Promise<void>
  /** Whether the process still runs. */
  alive: () => boolean
}

/** A local Redis Cluster started for one test file, on free ports in its own temp directory. */
export interface RedisClusterProcess {
  readonly nodes: ClusterNodeProcess[]
  readonly dir: string
  /** Environment variables that point genejobs at this cluster (`REDIS_CLUSTER_NODES`). */
  readonly env: Record<string, string>
  /** `redis-cli` against one node, e.g. `['CLUSTER', 'INFO']`; resolves with its output. */
  cli: (port: number, args: string[]) => Promise<string>
  /** The ports of the nodes that are masters now (asked of a live node). */
  masterPorts: () => Promise<number[]>
  /** Waits until every live node reports `cluster_state:ok`. */
  waitUntilOk: (timeoutMs?: number) => Promise<void>
  /** Kills every node and removes the directory. */
  stop: () => Promise<void>
}

/**
 * Starts `masters * (1 + replicasPerMaster)` redis-server nodes with cluster mode on, joins them
 * with `redis-cli --cluster create`, and waits for `cluster_state:ok` on every node. Never uses
 * port 6379.
 */
export async function startRedisCluster (options: RedisClusterOptions = {}): Promise<RedisClusterProcess> {
  const masters = options.masters ?? 3
  const replicas = options.replicasPerMaster ?? 0
  const dir = await mkdtemp(join(tmpdir(), 'genejobs-cluster-'))
  const children: ChildProcess[] = []
  const nodes: ClusterNodeProcess[] = []
  const stop = async () => {
    await Promise.all(children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL') })
    }))
    await rm(dir, { recursive: true, force: true })
  }
  const cli = async (port: number, args: string[]) => (await run('redis-cli', ['-p', String(port), ...args], { timeout: 30_000 })).stdout
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const port = await freePort()
      const nodeDir = join(dir, String(port))
      await mkdir(nodeDir)
      const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--save', '', '--appendonly', 'no',
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000)], { stdio: 'ignore' })
      children.push(child)
      nodes.push({ port, kill: async () => { if (child.exitCode === null && child.signalCode === null) await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL') }) }, alive: () => child.exitCode === null && child.signalCode === null })
      await waitFor(async () => await isListening(port), { timeoutMs: 10_000, what: `cluster node on port ${port}` })
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 60_000 })
  } catch (err) {
    await stop()
    throw err
  }
  const waitUntilOk = async (timeoutMs = 30_000) => {
    await waitFor(async () => {
      for (const node of nodes.filter((n) => n.alive())) {
        if (!(await cli(node.port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) return false
      }
      return true
    }, { timeoutMs, what: 'cluster_state:ok on every node' })
  }
  const masterPorts = async () => {
    const live = nodes.find((node) => node.alive())
    if (live === undefined) return []
    return (await cli(live.port, ['CLUSTER', 'NODES'])).split('\n')
      .filter((line) => / master /.test(line) || /,master /.test(line))
      .filter((line) => !/fail/.test(line.split(' ')[2] ?? ''))
      .map((line) => Number(/:(\d+)@/.exec(line)?.[1]))
  }
  await waitUntilOk()
  if (replicas > 0) {
    // Failover needs replicas that have synced with their master.
    await waitFor(async () => {
      for (const port of nodes.map((node) => node.port)) {
        const info = await cli(port, ['INFO', 'replication'])
        if (info.includes('role:slave') && !info.includes('master_link_status:up')) return false
      }
      return true
    }, { timeoutMs: 30_000, what: 'every replica in sync with its master' })
  }
  return {
    nodes,
    dir,
    env: { REDIS_CLUSTER_NODES: nodes.slice(0, masters).map((node) => `127.0.0.1:${node.port}`).join(',') },
    cli,
    masterPorts,
    waitUntilOk,
    stop
  }
}
