import { isAbsolute, resolve } from 'node:path'
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'

/** The official HGNC complete set download (JSON), used when `HGNC_SOURCE` is not set. */
export const DEFAULT_HGNC_SOURCE =
  'https://storage.googleapis.com/public-download-files/hgnc/json/json/hgnc_complete_set.json'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const dbIndex = (fallback: number, store: string) =>
  Type.Integer({ minimum: 0, maximum: 15, default: fallback, description: `the Redis database index of the ${store} store, an integer from 0 to 15` })

const positiveInt = (fallback: number, what: string, maximum = 2_147_483_647) =>
  Type.Integer({ minimum: 1, maximum, default: fallback, description: `${what}, a whole number from 1 to ${maximum}` })

const perMinute = (fallback: number, what: string) =>
  Type.Integer({ minimum: 0, maximum: 1_000_000, default: fallback, description: `how many ${what} one client IP may send per minute, a whole number from 0 (no limit) to 1000000` })

/** One Redis Cluster node: a host name or IP address and a port. */
const NODE = '[A-Za-z0-9.-]{1,255}:[0-9]{1,5}'

/** One CORS origin: scheme, host and optional port, nothing after (no path, no trailing slash). */
const ORIGIN = 'https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?'

/** Settings earlier versions read, with what to do instead: a stale setting is an error, not ignored. */
const RETIRED_SETTINGS: Record<string, string> = {
  REDIS_DB_QUEUE: 'the queue shares REDIS_DB_JOBS with the job records and results (one atomic step touches all three); unset it',
  REDIS_DB_RESULTS: 'results share REDIS_DB_JOBS with the queue and the job records (one atomic step touches all three); unset it'
}

/** Settings whose values are secrets: a bad one is reported by length, never echoed. */
const SECRET_SETTINGS = new Set(['API_ADMIN_TOKEN', 'REDIS_PASSWORD'])

/**
 * The environment variables genejobs reads, with their rules and defaults. Every value arrives as
 * a string; `loadConfig` converts and checks them against this schema.
 */
export const EnvSchema = Type.Object({
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'a redis:// or rediss:// URL' })),
  REDIS_HOST: Type.String({ minLength: 1, maxLength: 255, default: '127.0.0.1', description: 'a host name or IP address' }),
  REDIS_PORT: positiveInt(6379, 'a TCP port', 65535),
  REDIS_USERNAME: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'a Redis ACL user name' })),
  REDIS_PASSWORD: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'a non-empty password' })),
  REDIS_CLUSTER_NODES: Type.Optional(Type.String({ maxLength: 4096, pattern: `^${NODE}(\\s*,\\s*${NODE})*$`, description: 'comma-separated host:port pairs of Redis Cluster nodes, e.g. 10.0.0.1:6379,10.0.0.2:6379 (one is enough, the client finds the rest)' })),
  REDIS_WAIT_REPLICAS: Type.Integer({ minimum: 0, maximum: 5, default: 0, description: 'how many replicas must have a new job before POST /jobs answers 201 (Redis WAIT; 0: no wait), from 0 to 5' }),
  REDIS_WAIT_TIMEOUT_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 500, description: 'how long (ms) POST /jobs waits for REDIS_WAIT_REPLICAS before answering 503, from 1 to 60000' }),
  REDIS_DB_GENES: dbIndex(0, 'gene data'),
  REDIS_DB_JOBS: dbIndex(1, 'jobs'),
  KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', default: 'genejobs', description: '1 to 32 letters, digits, "_" or "-"' }),
  LOG_LEVEL: Type.Enum([...LOG_LEVELS], { default: 'info', description: `one of ${LOG_LEVELS.join(', ')}` }),
  HGNC_SOURCE: Type.String({ minLength: 1, maxLength: 4096, default: DEFAULT_HGNC_SOURCE, description: 'an http(s) URL, a file:// URL or a file path (a relative path is relative to where the command was run)' }),
  HOST: Type.String({ minLength: 1, maxLength: 255, default: '127.0.0.1', description: 'the address the API and a worker\'s metrics server listen on (0.0.0.0 for every interface, as the containers set)' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5000, description: 'the TCP port the API listens on, 0 to 65535' }),
  BODY_LIMIT: positiveInt(1_048_576, 'the largest request body in bytes'),
  HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 300_000, default: 10_000, description: 'how long (ms) a client may take to send its request headers before the connection is closed, from 1000 to 300000' }),
  GENE_CACHE_ENTRIES: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 20_000, description: 'how many gene reads, and as many search hits, each API process keeps in memory (kept true by Redis; 0 turns the cache off), from 0 to 10000000' }),
  WORKER_CONCURRENCY: positiveInt(1, 'how many jobs one worker process runs at once', 256),
  MAX_ATTEMPTS: positiveInt(3, 'how many times a job is tried before it fails', 100),
  STALLED_AFTER_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 6000, description: 'after how many ms without a heartbeat a worker counts as dead, from 1000 to 3600000' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 30_000, description: 'how long (ms) a stopping worker waits for the jobs in hand, from 0 to 3600000' }),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'the TCP port a worker serves GET /metrics and GET /health on (unset: no metrics server; 0: any free port, logged), 0 to 65535' })),
  JOB_TTL_SECONDS: positiveInt(604_800, 'how long (s) finished jobs and results are kept'),
  RETRY_BACKOFF_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 1000, description: 'how long (ms) the first retry of a failed attempt waits, doubling for each later one (with jitter), from 0 (retry at once) to 3600000' }),
  RETRY_BACKOFF_MAX_MS: Type.Integer({ minimum: 0, maximum: 86_400_000, default: 60_000, description: 'the longest (ms) a retry waits, from 0 to 86400000' }),
  API_ADMIN_TOKEN: Type.Optional(Type.String({ pattern: '^[!-~]{16,1024}$', description: 'a secret of 16 to 1024 printable characters without spaces (generate one with: openssl rand -hex 32)' })),
  RATE_LIMIT_JOBS_PER_MINUTE: perMinute(1200, 'job submissions (POST /jobs)'),
  RATE_LIMIT_HEAVY_PER_MINUTE: perMinute(120, 'heavy reads (GET /data, GET /genes, together)'),
  CORS_ORIGIN: Type.Optional(Type.String({ maxLength: 4096, pattern: `^(\\*|${ORIGIN}(\\s*,\\s*${ORIGIN})*)$`, description: 'comma-separated origins such as https://app.example.org (scheme, host, optional port; no path), or * for any origin' })),
  ENABLE_TEST_ANALYSES: Type.Enum(['true', 'false'], { default: 'false', description: 'true or false (test-only analyses; refused when NODE_ENV=production)' }),
  NODE_ENV: Type.Optional(Type.String({ maxLength: 32, description: 'e.g. production' }))
})

/** The raw, validated environment (strings converted to numbers, defaults filled in). */
export type Env = Static<typeof EnvSchema>

/** Where one Redis server is and how to log in to it. */
export interface RedisConnectionConfig {
  url?: string
  host: string
  port: number
  username?: string
  password?: string
  /** Redis Cluster nodes to start from (`REDIS_CLUSTER_NODES`); when set, `url`, `host` and `port` are unused. */
  clusterNodes?: Array<{ host: string, port: number }>
}

/**
 * The database index of the gene data, and of the queue, job records and results, which share one
 * database because one atomic script moves a job between all three (scripts never SELECT).
 */
export interface StoreDatabases {
  genes: number
  jobs: number
}

/** The rules of the job lifecycle, configured here and nowhere else. */
export interface JobPolicy {
  /** After this many attempts a job fails. */
  maxAttempts: number
  /** A worker whose heartbeat is older than this (ms) is dead and its jobs are re-queued. */
  stalledAfterMs: number
  /** How long finished jobs and their results are kept (ms). */
  ttlMs: number
  /** How long the first retry of a failed attempt waits (ms), doubling each time, with jitter; 0 for none. */
  retryBackoffMs: number
  /** The longest a retry waits (ms). */
  retryBackoffMaxMs: number
}

/** The typed configuration every genejobs process is built from. */
export interface Config {
  redis: RedisConnectionConfig
  databases: StoreDatabases
  keyPrefix: string
  /** How many replicas must have a new job before it counts as accepted, and how long to wait (`WAIT`). */
  durability: { replicas: number, timeoutMs: number }
  logLevel: Env['LOG_LEVEL']
  hgncSource: string
  api: {
    host: string
    port: number
    bodyLimit: number
    headersTimeoutMs: number
    /** How many gene reads the API caches in memory (0: none). */
    geneCacheEntries: number
  }
  worker: {
    concurrency: number
    shutdownTimeoutMs: number
    /** The port of the worker's metrics and health server (`METRICS_PORT`); absent: none. */
    metricsPort?: number
    /** Test-only analyses (slow, failing, counting); never on in production. */
    testAnalyses: boolean
  }
  /** Attempts, stall detection and how long finished jobs are kept. */
  jobs: JobPolicy
  /** API protection: the admin token, rate limits, CORS. */
  security: SecurityConfig
}

/** How the API protects itself (see docs/security.md). */
export interface SecurityConfig {
  /** The bearer token `POST /data` and `DELETE /data` require; when absent they are loopback-only. */
  adminToken?: string
  /** Requests per minute per client IP; 0 turns a limit off. */
  rateLimit: { jobsPerMinute: number, heavyPerMinute: number }
  /** Origins allowed to call the API from a browser; empty means CORS is off, `['*']` means any. */
  corsOrigins: string[]
}

/**
 * `HGNC_SOURCE` as the loader reads it: a relative file path becomes absolute against the directory
 * the user ran the command in (`INIT_CWD`, which npm and pnpm set to it before a script changes into
 * a package folder, else the process's own), so every entry point reads the same file. URLs are kept.
 */
function resolveHgncSource (source: string, env: Record<string, string | undefined>): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(source) || isAbsolute(source)) return source
  return resolve(env['INIT_CWD'] ?? process.cwd(), source)
}

/** Thrown by `loadConfig` when the environment holds bad values; `problems` has one line each. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
  constructor (readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

function describeProblem (name: string, raw: unknown): string {
  const property = (EnvSchema.properties as Record<string, { description?: string }>)[name]
  const rule = property?.description ?? 'see the README configuration table'
  const shown = SECRET_SETTINGS.has(name) ? ` (${String(raw).length} characters, not shown)` : `=${JSON.stringify(raw)}`
  return `${name}${shown} is invalid: expected ${rule}`
}

/**
 * Reads and validates the genejobs settings from an environment (normally `process.env`).
 * Throws a `ConfigError` listing every bad value, one clear message each.
 */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(EnvSchema.properties)
  // Empty strings count as unset, as they do in most shells and in compose files.
  const input: Record<string, string> = {}
  for (const name of known) {
    const value = env[name]
    if (value !== undefined && value !== '') input[name] = value
  }
  const problems = new Map<string, string>()
  // Value.Convert would quietly turn "63.5" into 63: whole numbers must be written as such.
  for (const [name, schema] of Object.entries(EnvSchema.properties as Record<string, { type?: string }>)) {
    const value = input[name]
    if (schema.type === 'integer' && value !== undefined && !/^-?\d+$/.test(value.trim())) problems.set(name, describeProblem(name, value))
  }
  const converted = Value.Default(EnvSchema, Value.Convert(EnvSchema, { ...input })) as Record<string, unknown>
  for (const error of Value.Errors(EnvSchema, converted)) {
    const name = error.instancePath.replace(/^\//, '')
    if (name !== '' && !problems.has(name)) problems.set(name, describeProblem(name, input[name]))
  }
  for (const [name, message] of Object.entries(RETIRED_SETTINGS)) {
    if ((env[name] ?? '') !== '') problems.set(name, `${name} is no longer read: ${message}`)
  }
  if (converted['ENABLE_TEST_ANALYSES'] === 'true' && converted['NODE_ENV'] === 'production') {
    problems.set('ENABLE_TEST_ANALYSES', 'ENABLE_TEST_ANALYSES="true" is invalid: test analyses cannot be enabled when NODE_ENV=production')
  }
  if (converted['REDIS_CLUSTER_NODES'] !== undefined) {
    if (String(converted['REDIS_CLUSTER_NODES']).split(',').some((node) => !(Number(node.split(':')[1]) >= 1 && Number(node.split(':')[1]) <= 65535))) {
      problems.set('REDIS_CLUSTER_NODES', describeProblem('REDIS_CLUSTER_NODES', input['REDIS_CLUSTER_NODES']) + ' (ports from 1 to 65535)')
    }
    for (const name of ['REDIS_DB_GENES', 'REDIS_DB_JOBS', 'REDIS_URL']) {
      if ((env[name] ?? '') !== '' && !(name !== 'REDIS_URL' && env[name] === '0')) {
        problems.set(name, `${name} cannot be used with REDIS_CLUSTER_NODES: a Redis Cluster has database 0 only and finds its nodes from REDIS_CLUSTER_NODES; unset it`)
      }
    }
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()])
  const valid = converted as Env
  const clusterNodes = valid.REDIS_CLUSTER_NODES?.split(',').map((node) => {
    const [host = '', port = ''] = node.trim().split(':')
    return { host, port: Number(port) }
  })
  return {
    redis: {
      ...(valid.REDIS_URL !== undefined ? { url: valid.REDIS_URL } : {}),
      host: valid.REDIS_HOST,
      port: valid.REDIS_PORT,
      ...(valid.REDIS_USERNAME !== undefined ? { username: valid.REDIS_USERNAME } : {}),
      ...(valid.REDIS_PASSWORD !== undefined ? { password: valid.REDIS_PASSWORD } : {}),
      ...(clusterNodes !== undefined ? { clusterNodes } : {})
    },
    // On a cluster the four stores live in database 0, the only one it has.
    databases: clusterNodes !== undefined ? { genes: 0, jobs: 0 } : { genes: valid.REDIS_DB_GENES, jobs: valid.REDIS_DB_JOBS },
    keyPrefix: valid.KEY_PREFIX,
    durability: { replicas: valid.REDIS_WAIT_REPLICAS, timeoutMs: valid.REDIS_WAIT_TIMEOUT_MS },
    logLevel: valid.LOG_LEVEL,
    hgncSource: resolveHgncSource(valid.HGNC_SOURCE, env),
    api: { host: valid.HOST, port: valid.PORT, bodyLimit: valid.BODY_LIMIT, headersTimeoutMs: valid.HEADERS_TIMEOUT_MS, geneCacheEntries: valid.GENE_CACHE_ENTRIES },
    worker: {
      concurrency: valid.WORKER_CONCURRENCY,
      shutdownTimeoutMs: valid.SHUTDOWN_TIMEOUT_MS,
      ...(valid.METRICS_PORT !== undefined ? { metricsPort: valid.METRICS_PORT } : {}),
      testAnalyses: valid.ENABLE_TEST_ANALYSES === 'true'
    },
    jobs: {
      maxAttempts: valid.MAX_ATTEMPTS,
      stalledAfterMs: valid.STALLED_AFTER_MS,
      ttlMs: valid.JOB_TTL_SECONDS * 1000,
      retryBackoffMs: valid.RETRY_BACKOFF_MS,
      retryBackoffMaxMs: valid.RETRY_BACKOFF_MAX_MS
    },
    security: {
      ...(valid.API_ADMIN_TOKEN !== undefined ? { adminToken: valid.API_ADMIN_TOKEN } : {}),
      rateLimit: { jobsPerMinute: valid.RATE_LIMIT_JOBS_PER_MINUTE, heavyPerMinute: valid.RATE_LIMIT_HEAVY_PER_MINUTE },
      corsOrigins: valid.CORS_ORIGIN === undefined ? [] : valid.CORS_ORIGIN.split(',').map((origin) => origin.trim())
    }
  }
}

/**
 * `loadConfig` for a process's entry point: on bad settings it prints every problem, prefixed with
 * the process name, and exits with status 2 (no stack trace: the message is the whole story).
 */
export function loadConfigOrExit (processName: string, env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${processName}: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
}
