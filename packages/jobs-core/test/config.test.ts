import { join } from 'node:path'
import t from 'tap'
import { ConfigError, DEFAULT_HGNC_SOURCE, loadConfig } from '../src/config.js'

t.test('defaults fill every setting', async (t) => {
  const config = loadConfig({})
  t.same(config.redis, { host: '127.0.0.1', port: 6379 })
  t.same(config.databases, { genes: 0, jobs: 1 })
  t.same(config.jobs, { maxAttempts: 3, stalledAfterMs: 6000, ttlMs: 604_800_000, retryBackoffMs: 1000, retryBackoffMaxMs: 60_000 })
  t.equal(config.logLevel, 'info')
  t.equal(config.hgncSource, DEFAULT_HGNC_SOURCE)
  t.same(config.api, { host: '127.0.0.1', port: 5000, bodyLimit: 1_048_576, headersTimeoutMs: 10_000, geneCacheEntries: 20_000 }, 'loopback by default: containers set HOST=0.0.0.0')
  t.equal(config.keyPrefix, 'genejobs')
})

t.test('a relative HGNC_SOURCE is relative to where the command was run, for every entry point', async (t) => {
  // pnpm and npm run a package's script inside its folder but set INIT_CWD to where the user ran it.
  t.equal(loadConfig({ HGNC_SOURCE: 'data/hgnc/hgnc_complete_set.json.gz', INIT_CWD: '/home/me/genejobs' }).hgncSource, '/home/me/genejobs/data/hgnc/hgnc_complete_set.json.gz')
  t.equal(loadConfig({ HGNC_SOURCE: '../x.json' }).hgncSource, join(process.cwd(), '..', 'x.json'), 'without INIT_CWD: the process working directory')
  t.equal(loadConfig({ HGNC_SOURCE: '/abs/x.json', INIT_CWD: '/elsewhere' }).hgncSource, '/abs/x.json')
  for (const url of ['file:///abs/x.json', 'https://example.org/x.json']) t.equal(loadConfig({ HGNC_SOURCE: url, INIT_CWD: '/elsewhere' }).hgncSource, url)
})

t.test('values are converted from strings', async (t) => {
  const config = loadConfig({
    REDIS_HOST: 'redis',
    REDIS_PORT: '6380',
    REDIS_PASSWORD: 's3cret',
    REDIS_USERNAME: 'genejobs',
    REDIS_DB_GENES: '4',
    REDIS_DB_JOBS: '6',
    LOG_LEVEL: 'debug',
    HGNC_SOURCE: '/data/hgnc.json.gz',
    PORT: '8080',
    HOST: '127.0.0.1'
  })
  t.same(config.redis, { host: 'redis', port: 6380, username: 'genejobs', password: 's3cret' })
  t.same(config.databases, { genes: 4, jobs: 6 })
  t.equal(config.logLevel, 'debug')
  t.equal(config.hgncSource, '/data/hgnc.json.gz')
  t.equal(config.api.port, 8080)
})

t.test('retired settings are refused with what to do instead', async (t) => {
  const err = t.throws(() => loadConfig({ REDIS_DB_QUEUE: '1', REDIS_DB_RESULTS: '3' })) as ConfigError
  t.match(err.problems, [
    /^REDIS_DB_QUEUE is no longer read: the queue shares REDIS_DB_JOBS with the job records and results/,
    /^REDIS_DB_RESULTS is no longer read: results share REDIS_DB_JOBS/
  ])
  t.equal(loadConfig({ REDIS_DB_QUEUE: '' }).databases.jobs, 1, 'an empty value counts as unset')
})

t.test('REDIS_URL is kept as given', async (t) => {
  t.equal(loadConfig({ REDIS_URL: 'redis://:pw@cache:6379' }).redis.url, 'redis://:pw@cache:6379')
})

t.test('empty strings count as unset', async (t) => {
  t.equal(loadConfig({ REDIS_PORT: '', LOG_LEVEL: '' }).redis.port, 6379)
})

t.test('every bad value gets its own clear message', async (t) => {
  const env = { REDIS_PORT: 'abc', REDIS_DB_JOBS: '16', LOG_LEVEL: 'loud', REDIS_URL: 'http://x', PORT: '-1' }
  const err = t.throws(() => loadConfig(env)) as ConfigError
  t.ok(err instanceof ConfigError)
  t.equal(err.problems.length, 5)
  t.match(err.message, /REDIS_PORT="abc" is invalid: expected a TCP port, a whole number from 1 to 65535/)
  t.match(err.message, /REDIS_DB_JOBS="16" is invalid: expected the Redis database index of the jobs store, an integer from 0 to 15/)
  t.match(err.message, /LOG_LEVEL="loud" is invalid: expected one of fatal, error, warn, info, debug, trace, silent/)
  t.match(err.message, /REDIS_URL="http:\/\/x" is invalid: expected a redis:\/\/ or rediss:\/\/ URL/)
  t.match(err.message, /PORT="-1" is invalid/)
})

t.test('a fractional number is refused', async (t) => {
  t.throws(() => loadConfig({ REDIS_PORT: '63.5' }), /REDIS_PORT="63.5" is invalid/)
})

t.test('security settings: no admin token, default rate limits, CORS off', async (t) => {
  t.same(loadConfig({}).security, { rateLimit: { jobsPerMinute: 1200, heavyPerMinute: 120 }, corsOrigins: [] })
})

t.test('security settings are read and converted', async (t) => {
  const token = 'a'.repeat(64)
  const config = loadConfig({
    API_ADMIN_TOKEN: token,
    RATE_LIMIT_JOBS_PER_MINUTE: '5',
    RATE_LIMIT_HEAVY_PER_MINUTE: '0',
    CORS_ORIGIN: 'https://app.example.org, http://localhost:3000'
  })
  t.same(config.security, {
    adminToken: token,
    rateLimit: { jobsPerMinute: 5, heavyPerMinute: 0 },
    corsOrigins: ['https://app.example.org', 'http://localhost:3000']
  })
  t.same(loadConfig({ CORS_ORIGIN: '*' }).security.corsOrigins, ['*'])
  t.equal(loadConfig({ API_ADMIN_TOKEN: '' }).security.adminToken, undefined, 'an empty token counts as unset')
})

t.test('a short or spaced admin token is refused without echoing it', async (t) => {
  for (const bad of ['short-secret', 'sixteen chars with spaces', 'x'.repeat(1025), 'tab\tinside-a-long-token']) {
    const err = t.throws(() => loadConfig({ API_ADMIN_TOKEN: bad })) as ConfigError
    t.equal(err.problems.length, 1)
    t.match(err.message, `API_ADMIN_TOKEN (${bad.length} characters, not shown) is invalid: expected a secret of 16 to 1024 printable characters without spaces`)
    t.notMatch(err.message, bad, 'the value is not in the message')
  }
  t.equal(loadConfig({ API_ADMIN_TOKEN: '0123456789abcdef' }).security.adminToken, '0123456789abcdef', '16 characters is enough')
})

t.test('bad rate limits and CORS origins get clear messages', async (t) => {
  const err = t.throws(() => loadConfig({
    RATE_LIMIT_JOBS_PER_MINUTE: '-1',
    RATE_LIMIT_HEAVY_PER_MINUTE: 'many',
    CORS_ORIGIN: 'https://app.example.org/path'
  })) as ConfigError
  t.equal(err.problems.length, 3)
  t.match(err.message, /RATE_LIMIT_JOBS_PER_MINUTE="-1" is invalid: expected how many job submissions \(POST \/jobs\) one client IP may send per minute, a whole number from 0 \(no limit\) to 1000000/)
  t.match(err.message, /RATE_LIMIT_HEAVY_PER_MINUTE="many" is invalid/)
  t.match(err.message, /CORS_ORIGIN="https:\/\/app.example.org\/path" is invalid: expected comma-separated origins/)
  for (const bad of ['app.example.org', 'https://a.org,', 'ftp://a.org', '*, https://a.org', 'https://a.org/']) {
    t.throws(() => loadConfig({ CORS_ORIGIN: bad }), /CORS_ORIGIN=/, bad)
  }
})

t.test('a bad Redis password is reported by length, not echoed', async (t) => {
  const err = t.throws(() => loadConfig({ REDIS_PASSWORD: 'p'.repeat(1025) })) as ConfigError
  t.match(err.message, /REDIS_PASSWORD \(1025 characters, not shown\) is invalid: expected a non-empty password/)
})

t.test('REDIS_CLUSTER_NODES: parsed into nodes, every store in database 0, conflicting settings refused', async (t) => {
  const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b.example:7001', REDIS_PASSWORD: 'secret' })
  t.same(config.redis.clusterNodes, [{ host: '10.0.0.1', port: 7000 }, { host: 'redis-b.example', port: 7001 }])
  t.same(config.databases, { genes: 0, jobs: 0 }, 'a cluster has database 0 only')
  t.equal(config.redis.password, 'secret')
  t.equal(loadConfig({ REDIS_CLUSTER_NODES: 'a:1', REDIS_DB_JOBS: '0' }).databases.jobs, 0, 'database 0 said out loud is fine')
  const err = t.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:1', REDIS_DB_JOBS: '1', REDIS_URL: 'redis://x' })) as ConfigError
  t.match(err.message, /REDIS_DB_JOBS cannot be used with REDIS_CLUSTER_NODES: a Redis Cluster has database 0 only/)
  t.match(err.message, /REDIS_URL cannot be used with REDIS_CLUSTER_NODES/)
  for (const bad of ['a', 'a:', 'a:1,', 'a:0', 'a:70000', 'http://a:1']) {
    t.throws(() => loadConfig({ REDIS_CLUSTER_NODES: bad }), /REDIS_CLUSTER_NODES=.* is invalid: expected comma-separated host:port pairs/, bad)
  }
  t.same(loadConfig({}).durability, { replicas: 0, timeoutMs: 500 }, 'no WAIT by default')
  t.same(loadConfig({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '2000' }).durability, { replicas: 1, timeoutMs: 2000 })
})
