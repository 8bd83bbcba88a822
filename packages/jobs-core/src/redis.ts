import { createClient } from 'redis'
import type { Logger } from './logger.js'
import type { RedisConnectionConfig, StoreDatabases } from './config.js'
import { createClusterClient, sendKeyed } from './redis-cluster.js'
import { cachedReadsOf, countingCache, type CachedReads } from './redis-cache.js'

export { isClusterClient, sendKeyed } from './redis-cluster.js'
export type { CachedReads } from './redis-cache.js'

/** A node-redis client as genejobs uses it (default modules, RESP 2). */
export type RedisClient = ReturnType<typeof createRedisClient>

/** The four logical stores; each is a client bound to the store's database. */
export type StoreName = 'genes' | 'queue' | 'jobs' | 'results'

/** Options for one client: which database, what to call it in logs, and where to log. */
export interface RedisClientOptions {
  database: number
  /** Shown in logs and as the Redis CLIENT SETNAME, e.g. `genejobs-api-genes`. */
  name: string
  logger?: Logger
}

/** Waits this long at most between reconnect attempts, so a returning Redis is found quickly. */
const MAX_RECONNECT_DELAY_MS = 2000

/**
 * Reconnect delay for attempt `retries`: exponential from 50 ms, capped at 2 s, with jitter so a
 * fleet of workers does not knock on a restarted Redis all at once.
 */
export function reconnectDelay (retries: number): number {
  const base = Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS)
  return Math.round(base / 2 + Math.random() * base / 2)
}

/**
 * The options of every connection to one node of a cluster (credentials, name, socket); a cluster
 * has database 0 only.
 */
function clusterNodeOptions (connection: RedisConnectionConfig, options: RedisClientOptions): Record<string, unknown> {
  const { url, database, socket, ...rest } = clientOptions({ ...connection, url: 'redis://cluster' }, options)
  return { ...rest, socket: { connectTimeout: socket.connectTimeout, reconnectStrategy: socket.reconnectStrategy } }
}

/** The node-redis options every genejobs client shares (connection, database, reconnects). */
function clientOptions (connection: RedisConnectionConfig, options: RedisClientOptions) {
  return {
    ...(connection.url !== undefined ? { url: connection.url } : {}),
    ...(connection.username !== undefined ? { username: connection.username } : {}),
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    database: options.database,
    name: options.name,
    disableOfflineQueue: true,
    // node-redis 6 arms an AbortSignal.timeout for every command by default, which cost the API a
    // third of its throughput. Lost connections are detected by the socket (errors, keep-alive)
    // and answered at once (disableOfflineQueue); blocking pops carry their own short timeouts.
    commandOptions: { timeout: 0 },
    socket: {
      ...(connection.url === undefined ? { host: connection.host, port: connection.port } : {}),
      connectTimeout: 5000,
      reconnectStrategy: reconnectDelay
    }
  }
}

/** Logs a client's connection errors (each distinct one once) and its recovery. */
function logConnection (client: { on: (event: string, listener: (...args: any[]) => void) => unknown }, options: RedisClientOptions): void {
  // Without an 'error' listener node-redis would crash the process on the first lost connection.
  let lastError = ''
  const onError = (err: Error) => {
    // A reconnect loop repeats the same error every few hundred ms: log each distinct one once.
    if (err.message !== lastError) options.logger?.warn({ err, client: options.name }, 'redis connection error')
    lastError = err.message
  }
  client.on('error', onError)
  // A cluster client reports each node's connection errors as 'node-error'.
  client.on('node-error', onError)
  client.on('ready', () => {
    if (lastError !== '') options.logger?.info({ client: options.name }, 'redis connection restored')
    lastError = ''
  })
}

/**
 * Creates (without connecting) one node-redis client. Commands sent while it is disconnected fail
 * at once instead of queueing, so callers can answer "Redis unavailable" rather than hang.
 */
export function createRedisClient (connection: RedisConnectionConfig, options: RedisClientOptions) {
  if (connection.clusterNodes !== undefined) {
    // One code path for both: the cluster client answers the same commands, routed by key; raw
    // commands go through `sendKeyed`.
    const cluster = createClusterClient(connection.clusterNodes, clusterNodeOptions(connection, options), { RESP: 2 })
    logConnection(cluster, options)
    return cluster as unknown as ReturnType<typeof createSingleClient>
  }
  return createSingleClient(connection, options)
}

function createSingleClient (connection: RedisConnectionConfig, options: RedisClientOptions) {
  const client = createClient(clientOptions(connection, options))
  logConnection(client, options)
  return client
}

/**
 * A client whose reads are cached in this process and kept true by Redis itself (RESP3
 * server-assisted client-side caching: Redis tracks the keys this connection read and pushes an
 * invalidation the moment one changes; a lost connection empties the cache). At most `maxEntries`
 * replies are kept, least recently used evicted first.
 */
function createCachingClient (connection: RedisConnectionConfig, options: RedisClientOptions & { maxEntries: number }) {
  const cache = countingCache(options.maxEntries, connection.clusterNodes !== undefined)
  const client = connection.clusterNodes !== undefined
    ? createClusterClient(connection.clusterNodes, clusterNodeOptions(connection, options), { RESP: 3, clientSideCache: cache }) as unknown as ReturnType<typeof createClient>
    : createClient({ ...clientOptions(connection, options), RESP: 3, clientSideCache: cache })
  logConnection(client, options)
  return { client: client as unknown as RedisClient, reads: cachedReadsOf(client, cache, options.maxEntries) }
}

/**
 * Closes a client: gracefully (after the replies to commands already sent) when it is connected,
 * at once when it is still connecting or reconnecting to an unreachable Redis — a graceful close
 * would wait for a connection that may never come, and keep the process alive.
 */
export async function closeRedisClient (client: RedisClient): Promise<void> {
  if (client.isReady) {
    await client.close()
  } else if (client.isOpen) {
    // node-redis may still finish a connection that was under way when destroy() ran, leaving a
    // socket that keeps the process alive: drop that one too when it appears.
    client.once('ready', () => { client.destroy() })
    client.destroy()
  }
}

/**
 * The connections to the four logical stores. The queue, the job records and the results live in
 * one database (`databases.jobs`) and share one client; the gene data may live in another.
 */
export interface Stores {
  genes: RedisClient
  queue: RedisClient
  jobs: RedisClient
  results: RedisClient
  /** Which database the gene data and the job stores live in. */
  databases: StoreDatabases
  /** Gene reads cached in this process (`createCachingClient`), when the stores were made with a cache. */
  cachedGenes?: CachedReads
  /**
   * A new, unconnected client to one store's database, for a connection of its own (a worker's
   * blocking pop cannot share one). Whoever calls this connects and closes it.
   */
  duplicate: (store: StoreName, name: string) => RedisClient
  /** Connects every client (once; later calls share the first call's promise); resolves when all are ready. */
  connect: () => Promise<void>
  /** Sends PING on every client; rejects when any store does not answer. */
  ping: () => Promise<void>
  /** True when every client is connected and ready. */
  isReady: () => boolean
  /** Closes every client (waits for replies to commands already sent). */
  close: () => Promise<void>
}

/** Options of `createStores`. */
export interface StoresOptions {
  /** Cache up to this many gene reads in this process (`Stores.cachedGenes`); 0 or absent: none. */
  geneCacheEntries?: number
}

/**
 * Creates the clients for the four stores. `name` tells the process apart in logs and in
 * `CLIENT LIST` (e.g. `api`, `worker`).
 */
export function createStores (connection: RedisConnectionConfig, databases: StoreDatabases, name: string, logger?: Logger, options: StoresOptions = {}): Stores {
  const databaseOf = (store: StoreName): number => store === 'genes' ? databases.genes : databases.jobs
  const newClient = (store: StoreName, clientName: string): RedisClient =>
    createRedisClient(connection, { database: databaseOf(store), name: clientName, ...(logger !== undefined ? { logger } : {}) })
  const jobs = newClient('jobs', `genejobs-${name}-db${databases.jobs}`)
  const genes = databases.genes === databases.jobs ? jobs : newClient('genes', `genejobs-${name}-db${databases.genes}`)
  const clients = genes === jobs ? [jobs] : [genes, jobs]
  const cache = options.geneCacheEntries !== undefined && options.geneCacheEntries > 0
    ? createCachingClient(connection, { database: databases.genes, name: `genejobs-${name}-db${databases.genes}-cached`, maxEntries: options.geneCacheEntries, ...(logger !== undefined ? { logger } : {}) })
    : undefined
  if (cache !== undefined) clients.push(cache.client)
  let closing: Promise<void> | undefined
  let connecting: Promise<void> | undefined
  return {
    genes,
    queue: jobs,
    jobs,
    results: jobs,
    databases,
    ...(cache !== undefined ? { cachedGenes: cache.reads } : {}),
    duplicate: (store, clientName) => newClient(store, `genejobs-${clientName}`),
    connect () {
      // Safe to call more than once: every caller waits for the same first connection.
      connecting ??= Promise.all(clients.map(async (client) => { await client.connect() })).then(() => undefined)
      return connecting
    },
    async ping () {
      await Promise.all(clients.map(async (client) => { await client.ping() }))
    },
    isReady: () => clients.every((client) => client.isReady),
    close () {
      closing ??= Promise.all(clients.map(closeRedisClient)).then(() => undefined)
      return closing
    }
  }
}

const UNAVAILABLE_ERRORS = new Set([
  'ClientClosedError', 'ClientOfflineError', 'SocketClosedUnexpectedlyError', 'ConnectionTimeoutError',
  'SocketTimeoutError', 'ReconnectStrategyError', 'DisconnectsClientError', 'SocketTimeoutDuringMaintenanceError'
])

/** Tells whether Redis refused a write because it reached `maxmemory` (with `noeviction`). */
export function isRedisOutOfMemory (err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('OOM ')
}

/**
 * Tells whether an error means "Redis cannot take this right now" (as opposed to a bad command):
 * unreachable, still loading, busy, or out of memory. Such a step can succeed later unchanged.
 */
export function isRedisUnavailable (err: unknown): boolean {
  if (!(err instanceof Error)) return false
  if (isRedisOutOfMemory(err)) return true
  if (UNAVAILABLE_ERRORS.has(err.name) || UNAVAILABLE_ERRORS.has(err.constructor.name)) return true
  const code = (err as { code?: string }).code
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return true
  // CLUSTERDOWN and TRYAGAIN: a cluster is failing over or resharding; NOREPLICAS: see `waitForReplicas`.
  return /^(LOADING|MASTERDOWN|BUSY|CLUSTERDOWN|TRYAGAIN|NOREPLICAS)\b/.test(err.message)
}

/**
 * Waits until `replicas` replicas of the master holding `key` have every write this connection sent
 * it so far (`WAIT`), at most `timeoutMs`. Rejects when fewer acknowledged in time: the caller
 * cannot promise the write survives a failover.
 */
export async function waitForReplicas (client: RedisClient, key: string, replicas: number, timeoutMs: number): Promise<void> {
  const acknowledged = Number(await sendKeyed(client, key, ['WAIT', String(replicas), String(timeoutMs)]))
  if (acknowledged < replicas) throw new Error(`NOREPLICAS only ${acknowledged} of ${replicas} replicas acknowledged the write within ${timeoutMs} ms`)
}
