// A bare Fastify app with one constant route, started by api.mjs as a child process on the port
// given as the first argument: what Fastify itself serves on this machine, as a reference for the
// genejobs read routes. Fastify is resolved from the API package (the root does not depend on it).
import { createRequire } from 'node:module'

const require = createRequire(new URL('../packages/api/package.json', import.meta.url))
const Fastify = require('fastify')

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) })

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => { app.close().then(() => process.exit(0), () => process.exit(1)) })
}
