// compose.yaml and the Dockerfile cannot be run here (no Docker engine), so they are checked by
// parsing: every command they run must exist in the built packages, and the wiring must match.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { EnvSchema, loadConfig } from '@genejobs/jobs-core'

/** The parts of a compose service these tests read. */
interface Service {
  command?: string[]
  image?: string
  build?: unknown
  user?: string
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
  expose?: string[]
  network_mode?: string
  depends_on?: Record<string, unknown>
  healthcheck?: { test?: string[] }
  cap_drop?: string[]
  security_opt?: string[]
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const composeText = readFileSync(join(root, 'compose.yaml'), 'utf8')
const compose = parse(composeText) as { services: Record<string, Service> }
const envExample = readFileSync(join(root, '.env.example'), 'utf8')

/**
 * Compose's variable interpolation (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`; empty counts
 * as unset), enough to check what the services would really get from a given environment.
 */
function interpolate (text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, arg?: string) => {
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${arg ?? ''}`)
    return kind === '-' ? arg ?? '' : ''
  })
}
const composeWith = (env: Record<string, string>) => parse(interpolate(composeText, env)) as { services: Record<string, Service> }
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
const packageJson = (name: string) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { scripts: Record<string, string> }

/** Dockerfile instructions of the last stage (the image that runs). */
const runtimeStage = dockerfile.split(/^FROM /m).at(-1) ?? ''

t.test('compose runs redis, api and worker', async (t) => {
  t.same(Object.keys(compose.services).sort(), ['api', 'redis', 'worker'])
})

t.test('api and worker run node on files the build produces, as their packages do', async (t) => {
  for (const [service, pkg, entry] of [['api', 'api', 'server.js'], ['worker', 'worker', 'main.js']] as const) {
    const command = compose.services[service]?.command ?? []
    t.same(command, ['node', `packages/${pkg}/dist/${entry}`], `${service} command`)
    t.ok(existsSync(join(root, command[1] ?? '')), `${command[1]} exists after pnpm build`)
    t.equal(packageJson(pkg).scripts['start'], `node dist/${entry}`, `the ${pkg} package's start script runs the same file`)
    t.match(runtimeStage, new RegExp(`COPY --from=build /app/packages/${pkg}/dist packages/${pkg}/dist`), `the image contains ${pkg}/dist`)
  }
  const cmd = /^CMD \[(.*)\]$/m.exec(runtimeStage)?.[1]
  t.equal(cmd, '"node", "packages/api/dist/server.js"', 'the image runs the API by default')
})

t.test('both services use one image', async (t) => {
  t.equal(compose.services['api']?.image, compose.services['worker']?.image)
  t.ok(compose.services['api']?.build, 'the api service builds it')
})

t.test('redis persists append-only into ./data', async (t) => {
  const redis = compose.services['redis']
  t.match(redis?.command?.join(' '), /--appendonly yes/)
  t.match(redis?.command?.join(' '), /--appendfsync everysec/)
  t.ok(redis?.volumes?.includes('./data:/data'))
  t.ok(existsSync(join(root, 'data', '.gitkeep')), 'data/ is kept in git')
})

t.test('services find Redis and the log level through environment', async (t) => {
  for (const service of ['api', 'worker']) {
    const env = compose.services[service]?.environment ?? {}
    t.equal(env['REDIS_HOST'], 'redis', `${service} REDIS_HOST`)
    t.equal(env['REDIS_PORT'], '6379')
    t.match(env['LOG_LEVEL'], /^\$\{LOG_LEVEL:-info\}$/)
  }
  t.same(compose.services['api']?.ports, ['5000:5000'])
  t.equal(compose.services['api']?.environment?.['PORT'], '5000')
})

t.test('every workspace package.json is copied before install, and every package the services run is in the image', async (t) => {
  const workspace = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
  t.ok(workspace.includes('render'), `found the workspace packages (${workspace.join(', ')})`)
  for (const name of workspace) {
    t.match(dockerfile, `COPY packages/${name}/package.json packages/${name}/`)
  }
  // What api and worker import from the workspace, at any depth, must be compiled into the image.
  const needed = new Set<string>()
  const visit = (name: string): void => {
    if (needed.has(name)) return
    needed.add(name)
    const deps = (JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}
    for (const dep of Object.keys(deps)) if (dep.startsWith('@genejobs/')) visit(dep.slice('@genejobs/'.length))
  }
  visit('api')
  visit('worker')
  for (const name of needed) t.match(runtimeStage, `COPY --from=build /app/packages/${name}/dist packages/${name}/dist`, `the image holds ${name}/dist`)
  t.match(dockerfile, /pnpm install --frozen-lockfile/)
  t.match(runtimeStage, /pnpm install --prod --frozen-lockfile/)
})

t.test('the image runs as a non-root user on Node >= 20', async (t) => {
  t.match(runtimeStage, /^USER node$/m)
  for (const from of dockerfile.matchAll(/^FROM node:(\d+)/gm)) t.ok(Number(from[1]) >= 20, `node ${from[1]}`)
})

t.test('redis is not published on the host and requires a password from the environment', async (t) => {
  const redis = compose.services['redis'] ?? {}
  t.equal(redis.ports, undefined, 'no ports: only the compose network reaches Redis')
  t.equal(redis.network_mode, undefined, 'not on the host network')
  const command = redis.command ?? []
  const password = command[command.indexOf('--requirepass') + 1]
  t.ok(command.includes('--requirepass'), 'redis-server --requirepass')
  t.match(password, /^\$\{REDIS_PASSWORD:\?REDIS_PASSWORD is required: .*openssl rand -hex 32.*\}$/, 'the password is required, with a clear message')
  t.match(redis.environment?.['REDISCLI_AUTH'], /^\$\{REDIS_PASSWORD:\?/, 'the healthcheck logs in')
  t.match(redis.healthcheck?.test?.join(' '), /redis-cli ping \| grep -q PONG/, 'the healthcheck needs a real PONG, not NOAUTH')
  for (const service of ['api', 'worker']) {
    t.match(compose.services[service]?.environment?.['REDIS_PASSWORD'], /^\$\{REDIS_PASSWORD:\?/, `${service} gets REDIS_PASSWORD`)
  }
  for (const [name, service] of Object.entries(compose.services)) {
    if (name !== 'api') t.equal(service.ports, undefined, `${name} publishes no port`)
  }
})

t.test('compose refuses to start without REDIS_PASSWORD, and passes it everywhere when set', async (t) => {
  t.throws(() => composeWith({}), /required variable REDIS_PASSWORD is missing a value: REDIS_PASSWORD is required/)
  t.throws(() => composeWith({ REDIS_PASSWORD: '' }), /REDIS_PASSWORD/, 'an empty password counts as missing')
  const secret = 'a'.repeat(64)
  const services = composeWith({ REDIS_PASSWORD: secret }).services
  const command = services['redis']?.command ?? []
  t.equal(command[command.indexOf('--requirepass') + 1], secret)
  t.equal(services['redis']?.environment?.['REDISCLI_AUTH'], secret)
  t.equal(services['api']?.environment?.['REDIS_PASSWORD'], secret)
  t.equal(services['worker']?.environment?.['REDIS_PASSWORD'], secret)
})

t.test('the api and worker environments are valid configurations, and every name is a known setting', async (t) => {
  const known = Object.keys(EnvSchema.properties)
  for (const env of [{ REDIS_PASSWORD: 'p'.repeat(32) }, { REDIS_PASSWORD: 'p'.repeat(32), API_ADMIN_TOKEN: 'f'.repeat(64), RATE_LIMIT_JOBS_PER_MINUTE: '10', CORS_ORIGIN: 'https://app.example.org' }]) {
    const services = composeWith(env).services
    for (const name of ['api', 'worker']) {
      // compose passes every value as a string, as the process environment holds them
      const environment = Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([key, value]) => [key, String(value)]))
      for (const key of Object.keys(environment)) t.ok(known.includes(key), `${name}: ${key} is a setting loadConfig reads`)
      const config = loadConfig(environment)
      t.equal(config.redis.password, env.REDIS_PASSWORD, `${name} logs in to Redis`)
      if (name === 'api') {
        t.equal(config.security.adminToken, env.API_ADMIN_TOKEN, 'API_ADMIN_TOKEN passes through (unset when empty)')
        t.same(config.security.rateLimit, { jobsPerMinute: Number(env.RATE_LIMIT_JOBS_PER_MINUTE ?? 1200), heavyPerMinute: 120 })
        t.same(config.security.corsOrigins, env.CORS_ORIGIN === undefined ? [] : [env.CORS_ORIGIN])
        t.equal(config.api.bodyLimit, 1_048_576)
      }
    }
  }
  t.match(compose.services['api']?.environment?.['API_ADMIN_TOKEN'], /^\$\{API_ADMIN_TOKEN:-\}$/, 'the admin token is optional')
})

t.test('every container runs as a non-root user, without capabilities or privilege escalation', async (t) => {
  const services = composeWith({ REDIS_PASSWORD: 'x'.repeat(32) }).services
  for (const [name, service] of Object.entries(services)) {
    const user = service.user ?? ''
    t.not(user, '', `${name} sets user`)
    t.notMatch(user, /^(0|root)(:|$)/, `${name} is not root (${user})`)
    t.same(service.cap_drop, ['ALL'], `${name} drops every capability`)
    t.ok(service.security_opt?.includes('no-new-privileges:true'), `${name}: no-new-privileges`)
  }
  t.equal(services['redis']?.user, '999:999', "redis defaults to the image's redis user")
  t.equal(composeWith({ REDIS_PASSWORD: 'x'.repeat(32), REDIS_UID: '1000', REDIS_GID: '1000' }).services['redis']?.user, '1000:1000')
  t.equal(services['api']?.user, 'node')
  t.equal(services['worker']?.user, 'node')
})

t.test('.env.example documents every variable compose reads, and holds no secret', async (t) => {
  const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1] ?? ''))
  for (const name of used) t.match(envExample, new RegExp(`^#? ?${name}=`, 'm'), `${name} is in .env.example`)
  t.match(envExample, /^REDIS_PASSWORD=$/m, 'REDIS_PASSWORD is left empty')
  t.match(envExample, /^API_ADMIN_TOKEN=$/m, 'API_ADMIN_TOKEN is left empty')
  t.match(envExample, /openssl rand -hex 32/, 'says how to generate secrets')
})

t.test('no pnpm version pin: pnpm 10, 11 and 12 (and corepack) all install the project', async (t) => {
  // pnpm 11 and 12 switch to a pinned `packageManager` version and fail when the registry lacks its
  // @pnpm/exe build (issue 11); .ci/run also installs the project with the newest pnpm, which stops
  // at any dependency build script the workspace leaves undecided.
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager?: string, engines?: Record<string, string>, devEngines?: unknown }
  t.equal(rootPackage.packageManager, undefined, 'no packageManager pin')
  t.equal(rootPackage.devEngines, undefined, 'no devEngines pin (pnpm 11 writes it into the lockfile)')
  t.equal(rootPackage.engines?.['pnpm'], '>=10')
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
  t.match(ci, /npx --yes pnpm@latest install --frozen-lockfile\)/, 'CI installs with the newest pnpm')
  t.notMatch(ci, /--lockfile-only/, 'whole, not only the lockfile: build-script decisions are checked at install')
  const workspace = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) as { allowBuilds?: Record<string, boolean> }
  t.same(workspace.allowBuilds, { esbuild: false, 'msgpackr-extract': false }, 'the dependencies\' build scripts are decided (denied: none is needed)')
  t.notMatch(dockerfile, /corepack/, 'the image installs pnpm with npm, not through a pin corepack would need')
})

t.test('containers listen on every interface; outside them the API defaults to loopback', async (t) => {
  t.equal(compose.services['api']?.environment?.['HOST'], '0.0.0.0', 'compose sets HOST')
  t.match(runtimeStage, /^ENV .*\bHOST=0\.0\.0\.0\b/m, 'the image sets HOST')
  t.equal(loadConfig({}).api.host, '127.0.0.1', 'pnpm start and node server.js listen on loopback unless HOST says otherwise')
})

t.test('redis rewrites its append-only file as pnpm start does, and the API can read a local HGNC file', async (t) => {
  const { REDIS_PERSISTENCE_ARGS } = await import(pathToFileURL(join(root, 'scripts/start/redis.mjs')).href) as { REDIS_PERSISTENCE_ARGS: string[] }
  const command = compose.services['redis']?.command ?? []
  for (const setting of ['--auto-aof-rewrite-percentage', '--auto-aof-rewrite-min-size']) {
    t.equal(command[command.indexOf(setting) + 1], REDIS_PERSISTENCE_ARGS[REDIS_PERSISTENCE_ARGS.indexOf(setting) + 1], setting)
  }
  t.ok(compose.services['api']?.volumes?.includes('./data/hgnc:/hgnc:ro'), 'data/hgnc is mounted read-only at /hgnc')
})

t.test('the Docker build context leaves out node_modules, build output, ./data and secrets', async (t) => {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
  // Docker's matching, enough for these patterns: `**/` matches any depth, a plain name matches
  // that path and everything below it.
  const excluded = (path: string) => patterns.some((pattern) => {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '(?:.*/)?')
    return new RegExp(`^${source}(?:/.*)?$`).test(path)
  })
  for (const path of ['node_modules/.pnpm/x', 'packages/api/node_modules/fastify/package.json', 'packages/api/dist/server.js', 'data/appendonlydir/appendonly.aof.1.incr.aof', 'data/hgnc/hgnc_complete_set.json.gz', '.env', '.git/HEAD']) {
    t.ok(excluded(path), `${path} is not sent`)
  }
  // Everything the Dockerfile copies from the context must still be there.
  for (const match of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const source of (match[1] ?? '').split(' ')) t.notOk(excluded(source.replace(/\/$/, '')), `${source} (copied by the Dockerfile) is sent`)
  }
  t.notOk(excluded('packages/api/src/app.ts'), 'sources are sent')
})
