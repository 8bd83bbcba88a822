import type { Static, TObject } from 'typebox'
import type { DataVersionInfo, GeneStore, Logger } from '@genejobs/jobs-core'

/** What an analysis may use while it runs. */
export interface AnalysisContext {
  genes: GeneStore
  log: Logger
  /** Reports progress (0-100); cheap to call often, it is throttled. */
  progress: (percent: number) => Promise<void>
  /** Test analyses only: counts one run under `tag` and returns the count (their side effect). */
  countRun?: (tag: string) => Promise<number>
}

/** What `run` computes: the key numbers and the table. */
export interface AnalysisOutput {
  summary: Record<string, unknown>
  rows: Array<Record<string, unknown>>
}

/** A stored result: the output, plus the Vega-Lite spec for charted analyses. */
export interface AnalysisResult extends AnalysisOutput {
  chart?: VegaLiteSpec
  /** The gene data version it was computed on (the worker adds it). */
  data?: DataVersionInfo
}

/** A Vega-Lite specification, as stored in a result's `chart`. */
export type VegaLiteSpec = Record<string, unknown>

/** One column of a result's table download (CSV/TSV): which row field, under which header. */
export interface TableColumn {
  field: string
  header: string
  /** Shows a value differently in the download (e.g. `approved` -> `Approved symbol`). */
  labels?: Readonly<Record<string, string>>
}

/**
 * How an analysis takes a file upload (`POST /jobs` as `multipart/form-data`): the identifiers read
 * from the file go to the request parameter `list`, and each form field in `fields` is copied to
 * the request parameter of the same name. The request is then checked like a JSON body.
 */
export interface UploadDeclaration {
  /** The array parameter the file's identifiers go to, e.g. `symbols`. */
  readonly list: string
  /** Form fields copied to the request as they are, e.g. `['from']`. */
  readonly fields?: readonly string[]
}

/**
 * One analysis, everything about it in one place: the request it accepts, how it runs, and how its
 * result is shown. The API checks requests with `request` (and `normalise`); the worker re-checks
 * the stored parameters the same way, runs it, and renders `columns` and `chart`.
 */
export interface Analysis<Request extends TObject = TObject, Output extends AnalysisOutput = AnalysisOutput> {
  /** What a job names in `analysis`. */
  readonly name: string
  /**
   * The request: `analysis` (the literal `name`) first, then the parameters, each with a
   * `description` that error messages quote; `additionalProperties: false`.
   */
  readonly request: Request
  /**
   * Normalises a request that passed `request` (e.g. ids to `HGNC:<n>`) and checks what a schema
   * cannot (e.g. a range's end not below its start), throwing `INVALID_JOB` with a message that
   * names fields as `<where>/<field>`.
   */
  normalise? (request: Static<Request>, where: string): Static<Request>
  run (request: Static<Request>, context: AnalysisContext): Promise<Output>
  /** The table download's columns; without them, the rows' own fields. */
  readonly columns?: readonly TableColumn[]
  /** The chart of a result (a Vega-Lite spec); without it, the result has no chart. */
  chart? (output: Output): VegaLiteSpec
  /** Set when the analysis takes a file of identifiers (`multipart/form-data`); without it, JSON only. */
  readonly upload?: UploadDeclaration
}

/** Declares an analysis, keeping its request and output types (an identity function). */
export function defineAnalysis<Request extends TObject, Output extends AnalysisOutput> (analysis: Analysis<Request, Output>): Analysis<Request, Output> {
  return analysis
}
