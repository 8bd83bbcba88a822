/**
 * jobs-core: everything genejobs does with Redis. The API and the worker use only what this file
 * exports.
 */
export { loadConfig, loadConfigOrExit, ConfigError, EnvSchema, DEFAULT_HGNC_SOURCE } from './config.js'
export type { Config, Env, JobPolicy, RedisConnectionConfig, StoreDatabases } from './config.js'
export { GenejobsError, isGenejobsError, UnrecoverableError } from './errors.js'
export type { ErrorCode } from './errors.js'
export { createKeys } from './keys.js'
export type { Keys } from './keys.js'
export { createLogger, loggerOptions, REDACTED_PATHS } from './logger.js'
export type { Logger } from './logger.js'
export { createRedisClient, createStores, closeRedisClient, reconnectDelay, isRedisUnavailable, isRedisOutOfMemory } from './redis.js'
export type { RedisClient, Stores, StoreName } from './redis.js'
export { parseHgncId, formatHgncId, HGNC_ID_INPUT_PATTERN } from './hgnc/gene-id.js'
export { readHgncSource } from './hgnc/hgnc-reader.js'
export { GeneStore } from './genes/gene-store.js'
export type { GeneSummary } from './genes/projection.js'
export type { SymbolMatch } from './genes/symbol-index.js'
export { checkJobId, JOB_ID_PATTERN } from './job.js'
export type { Job } from './job.js'
export { JobQueue } from './queue.js'
export type { Claim, ErrorOutcome, JobQueueOptions, ResultForms } from './queue.js'
export { ResultStore } from './results.js'
export type { ResultForm } from './results.js'
export {
  validateJobRequest, JobRequestBody, ApprovalTimelineRequest, ANALYSIS_SCHEMAS, ANALYSIS_NAMES, DEFAULT_ANALYSIS,
  LOCUS_GROUPS, GENE_STATUSES, CHROMOSOMES, JOB_STATUSES,
  LocusTypesRequest, ChromosomesRequest, SymbolCheckRequest, SYMBOL_CHECK_MAX_SYMBOLS, SYMBOL_MAX_LENGTH, isRangeRequest
} from './schemas/jobs.js'
export type { AnalysisName, JobRequest, JobStatus, RangeJobRequest } from './schemas/jobs.js'
