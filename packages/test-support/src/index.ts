/** Helpers shared by the genejobs test suites. */
export { startRedisServer, freePort, isListening } from './redis-server.js'
export type { RedisServer, RedisServerOptions } from './redis-server.js'
export { waitFor } from './wait-for.js'
export type { WaitForOptions } from './wait-for.js'
export { realDataPath } from './real-data.js'
export { FIXTURE_DIR, fixturePath } from './fixtures.js'
export { startTestRedis } from './test-stores.js'
export type { TestRedis } from './test-stores.js'
