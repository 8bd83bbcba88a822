import { createCluster } from 'redis'

/** One node a Redis Cluster client starts from (`REDIS_CLUSTER_NODES`); it finds the others itself. */
export interface ClusterNode {
  host: string
  port: number
}

/** The clients made by `createClusterClient`, told apart from single-server clients by `sendKeyed`. */
const clusterClients = new WeakSet<object>()

/**
 * Creates (without connecting) a node-redis cluster client from its root nodes and the options
 * every node connection gets (`defaults`: credentials, socket, offline queue). Replicas are not
 * read from: a job's state must be read where it was written.
 */
export function createClusterClient (nodes: ClusterNode[], defaults: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const client = createCluster({
    rootNodes: nodes.map(({ host, port }) => ({ socket: { host, port } })),
    defaults,
    useReplicas: false,
    // A MOVED or ASK reply during a failover or a resharding is followed a few times, then fails.
    maxCommandRedirections: 16,
    ...extra
  })
  clusterClients.add(client)
  return client
}

/** Tells whether a client is a cluster client (`createClusterClient`). */
export function isClusterClient (client: object): boolean {
  return clusterClients.has(client)
}

/** The two ways to send a raw command: a single server takes the arguments, a cluster the key first. */
interface RawSender {
  sendCommand: (...args: any[]) => Promise<unknown>
}

/**
 * Sends a raw command (e.g. EVALSHA, WAIT) that concerns `key`: on a cluster, to the master that
 * holds `key`'s slot; on a single server, as it is. Scripts name their first key so the cluster
 * client can route them.
 */
export async function sendKeyed (client: RawSender, key: string | undefined, args: Array<string | Buffer>): Promise<unknown> {
  if (clusterClients.has(client)) return await client.sendCommand(key, false, args)
  return await client.sendCommand(args)
}
