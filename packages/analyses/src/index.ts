/**
 * The genejobs analyses. Each one declares its request schema, how it runs, its table columns and
 * its chart; the API checks requests with them, the worker runs and renders them. Only what this
 * file exports is public.
 */
export { defineAnalysis } from './analysis.js'
export type { Analysis, AnalysisContext, AnalysisOutput, AnalysisResult, TableColumn, UploadDeclaration, VegaLiteSpec } from './analysis.js'
export { ANALYSES } from './registry.js'
export { TEST_ANALYSES } from './test-only.js'
export { ANALYSIS_NAMES, analysesByName, JobRequestBody, jobRequestBody, parseJobParams, provenanceNote, runAnalysis, validateJobRequest, withProvenance } from './job-request.js'
export type { RequestSource } from './job-request.js'
export { approvalTimeline } from './approval-timeline.js'
export { chromosomes } from './chromosomes.js'
export { locusTypes } from './locus-types.js'
export { symbolCheck, SYMBOL_CHECK_MAX_SYMBOLS, SYMBOL_MAX_LENGTH } from './symbol-check.js'
export { idMapping, ID_MAPPING_MAX_IDS, ID_MAX_LENGTH } from './id-mapping.js'
export { UPLOAD_MAX_IDENTIFIERS } from './upload-limits.js'
