import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the process is shutting down: `GET /health/ready` answers 503 from then on. */
    lifecycle: { shuttingDown: boolean }
  }
}

/**
 * Holds the shutting-down flag: set by `server.ts` when a signal arrives (before the server stops
 * listening, so load balancers see the pod unready first), and by `app.close()` in any case.
 */
export default fp(async function lifecyclePlugin (app: FastifyInstance) {
  const lifecycle = { shuttingDown: false }
  app.decorate('lifecycle', lifecycle)
  app.addHook('preClose', async () => { lifecycle.shuttingDown = true })
}, { name: 'genejobs-lifecycle' })
