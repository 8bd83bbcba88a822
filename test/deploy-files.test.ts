// compose.yaml and the Dockerfile cannot be run here (no Docker engine), so they are checked by
// parsing: every command they run must exist in the built packages, and the wiring must match.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const compose = parse(readFileSync(join(root, 'compose.yaml'), 'utf8')) as {
  services: Record<string, { command?: string[], image?: string, build?: unknown, environment?: Record<string, string>, volumes?: string[], ports?: string[], depends_on?: Record<string, unknown> }>
}
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

t.test('every workspace package.json is copied before install', async (t) => {
  for (const name of ['jobs-core', 'api', 'worker', 'test-support']) {
    t.match(dockerfile, `COPY packages/${name}/package.json packages/${name}/`)
  }
  t.match(dockerfile, /pnpm install --frozen-lockfile/)
  t.match(runtimeStage, /pnpm install --prod --frozen-lockfile/)
})

t.test('the image runs as a non-root user on Node >= 20', async (t) => {
  t.match(runtimeStage, /^USER node$/m)
  for (const from of dockerfile.matchAll(/^FROM node:(\d+)/gm)) t.ok(Number(from[1]) >= 20, `node ${from[1]}`)
})
