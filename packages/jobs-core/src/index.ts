/**
 * jobs-core: everything genejobs does with Redis. The API and the worker use only what this file
 * exports.
 */
export { loadConfig, ConfigError, EnvSchema, DEFAULT_HGNC_SOURCE } from './config.js'
export type { Config, Env, RedisConnectionConfig, StoreDatabases } from './config.js'
export { GenejobsError, isGenejobsError } from './errors.js'
export type { ErrorCode } from './errors.js'
export { createKeys } from './keys.js'
export type { Keys } from './keys.js'
export { createLogger, loggerOptions, REDACTED_PATHS } from './logger.js'
export type { Logger } from './logger.js'
export { createRedisClient, createStores, reconnectDelay, isRedisUnavailable } from './redis.js'
export type { RedisClient, Stores, StoreName } from './redis.js'
export { LuaScript } from './lua.js'
export { parseHgncId, formatHgncId, HGNC_ID_INPUT_PATTERN } from './genes/gene-id.js'
export { readHgncSource, readHgncText } from './genes/hgnc-reader.js'
export type { GeneRecord, HgncFormat } from './genes/hgnc-reader.js'
export { openHgncSource, parseSourceLocation } from './genes/hgnc-source.js'
export type { HgncDoc } from './genes/json-records.js'
export { GeneStore } from './genes/gene-store.js'
export type { GeneSummary, LoadSummary, MatchType, SymbolMatch, GeneStoreOptions } from './genes/gene-store.js'
