/**
 * Everything a result is stored as: the table downloads (CSV/TSV), and the chart drawn from its
 * Vega-Lite spec to SVG and PNG (vega, vega-lite, resvg; no browser). Knows no analysis by name:
 * each analysis declares its columns and chart.
 */
import { existsSync, readFileSync } from 'node:fs'
import { Resvg } from '@resvg/resvg-js'
import opentype from 'opentype.js'
import type { TableColumn } from '@genejobs/analyses'
import { UnrecoverableError, type Logger } from '@genejobs/jobs-core'
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { columnsOf, toTable } from './table.js'

export { columnsOf, toTable, type TableFormat } from './table.js'

/** Measures text set in one font: width in pixels at a font size, from the font's own advances. */
export interface FontMetrics {
  /** The advance width of `text` at `fontSize` pixels (no kerning). */
  width: (text: string, fontSize: number) => number
}

/**
 * Reads a TrueType (or OpenType) font's character advances with opentype.js (its `cmap` and
 * `hmtx` tables), so text can be laid out for the font a chart is drawn with rather than by a
 * guess. Throws a clear error when the file is missing or is not a font.
 *
 * Each character is measured by its glyph's advance (`font.charToGlyph`), with no kerning or
 * substitution. opentype.js's `getAdvanceWidth` would give the same widths, but from 1.3.5 on it
 * applies the font's `ccmp` substitutions first and throws on DejaVu Sans's chaining-context
 * (GSUB lookup type 6, format 2) lookups, which opentype.js does not implement yet.
 */
export function readFontMetrics (fontFile: string): FontMetrics {
  let data: Buffer
  try {
    data = readFileSync(fontFile)
  } catch (error) {
    throw new Error(`cannot read the font file ${fontFile}: ${(error as Error).message}`, { cause: error })
  }
  let font: opentype.Font
  try {
    font = opentype.parse(data)
  } catch (error) {
    throw new Error(`${fontFile} is not a font opentype.js can read: ${(error as Error).message}`, { cause: error })
  }
  const unitsPerEm = font.unitsPerEm
  const advances = new Map<string, number>()
  const advance = (character: string): number => {
    let units = advances.get(character)
    if (units === undefined) {
      units = font.charToGlyph(character).advanceWidth ?? 0
      advances.set(character, units)
    }
    return units
  }
  return {
    width (text, fontSize) {
      let units = 0
      for (const character of text) units += advance(character)
      return units * fontSize / unitsPerEm
    }
  }
}

/**
 * The font every chart is drawn with: DejaVu Sans, which the Docker image installs with
 * `fonts-dejavu-core` (Debian and Ubuntu put it here). Vega lays text out for it and resvg draws it
 * from this file, so the SVG and the PNG agree.
 */
export const CHART_FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
/** The family name of `CHART_FONT_FILE`, as the SVG names it. */
export const CHART_FONT_FAMILY = 'DejaVu Sans'

/** A chart drawn from a Vega-Lite spec: the SVG and a PNG of the same size. */
export interface RenderedChart {
  svg: string
  png: Buffer
  /** The PNG's size in pixels (the SVG's size). */
  width: number
  height: number
  /** What vega-lite and vega warned about while drawing (a clean chart has none). */
  warnings: string[]
}

/** An SVG and the warnings given while drawing it. */
export interface ChartSvg { svg: string, warnings: string[] }

/**
 * Throws an `UnrecoverableError` naming the font file and how to install it when it is missing, so
 * a worker fails at start-up rather than drawing charts without text.
 */
export function checkChartFont (fontFile: string = CHART_FONT_FILE): void {
  if (!existsSync(fontFile)) {
    throw new UnrecoverableError(`the chart font ${CHART_FONT_FAMILY} is missing: no file ${fontFile} (install the fonts-dejavu-core package, as the Docker image does)`)
  }
}

/** Charts carry their data inline: refuse every load (no file or network access from a spec). */
const refuse = async (uri: string): Promise<never> => { throw new Error(`charts load no data (asked for ${uri})`) }
const noLoader: vega.Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse }

/** The part of vega's text layout this module replaces (vega-scenegraph's `textMetrics`). */
interface VegaTextMetrics {
  width: (item: { fontSize?: number, limit?: number }, text: unknown) => number
}

let measuredFontFile: string | undefined

/**
 * Makes vega lay text out with the chart font's real advances. Without a canvas, vega guesses every
 * character as 0.8 em wide, which truncates axis labels and pads legends; vl-convert does the same
 * replacement. The font has one weight, so every text is measured (and drawn) in it.
 */
function measureTextWith (fontFile: string): void {
  if (measuredFontFile === fontFile) return
  const metrics = readFontMetrics(fontFile)
  const textMetrics = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics
  textMetrics.width = (item, text) => {
    const size = item.fontSize ?? 11
    const line = text === null || text === undefined ? '' : String(text).trim()
    const width = size <= 0 ? 0 : metrics.width(line, size)
    // Vega truncates labels longer than `limit`; a truncated label is about `limit` wide.
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width
  }
  measuredFontFile = fontFile
}

/**
 * Every text in the chart font, in its one (regular) weight, so the SVG and the PNG agree; and a
 * margin, so no text touches the image's edge.
 */
const RENDER_CONFIG = {
  padding: 10,
  font: CHART_FONT_FAMILY,
  title: { fontWeight: 'normal' },
  axis: { titleFontWeight: 'normal' },
  legend: { titleFontWeight: 'normal' },
  header: { titleFontWeight: 'normal', labelFontWeight: 'normal' }
}

/** Vega-Lite -> Vega -> SVG, with every text set (and measured) in the chart font. */
export async function chartToSvg (spec: Record<string, unknown>, fontFile: string = CHART_FONT_FILE): Promise<ChartSvg> {
  checkChartFont(fontFile)
  measureTextWith(fontFile)
  const warnings: string[] = []
  const logger = vega.logger(vega.Warn, undefined, (_method, _level, args) => { warnings.push(args.map(String).join(' ')) })
  // Vega adds fields to the data objects it is given: draw from a copy, never from the result.
  const copy = structuredClone(spec)
  const config = { ...(copy['config'] as Record<string, unknown> | undefined), ...RENDER_CONFIG }
  const vegaSpec = compile({ ...copy, config } as TopLevelSpec, { logger }).spec
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader: noLoader, logger })
  try {
    return { svg: await view.toSVG(), warnings }
  } finally {
    view.finalize()
  }
}

/** Draws an SVG to a PNG of the SVG's size with resvg, using only the chart font file. */
export function svgToPng (svg: string, fontFile: string = CHART_FONT_FILE): { png: Buffer, width: number, height: number } {
  checkChartFont(fontFile)
  const image = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [fontFile], defaultFontFamily: CHART_FONT_FAMILY }
  }).render()
  return { png: image.asPng(), width: image.width, height: image.height }
}

/** Renders a Vega-Lite spec to SVG and PNG on the server (vega, vega-lite and resvg; no browser). */
export async function renderChart (spec: Record<string, unknown>, fontFile: string = CHART_FONT_FILE): Promise<RenderedChart> {
  const { svg, warnings } = await chartToSvg(spec, fontFile)
  return { svg, warnings, ...svgToPng(svg, fontFile) }
}

/** A result as the renderer sees it: the key numbers, the table and (when charted) a Vega-Lite spec. */
export interface RenderableResult {
  summary: Record<string, unknown>
  rows: Array<Record<string, unknown>>
  chart?: Record<string, unknown>
}

/** What the renderer needs to know of the job: its id (for logs) and its analysis's table columns. */
export interface RenderedJob {
  id: string
  /** The job's analysis; without `columns` its table has the rows' own fields. */
  analysis: { name: string, columns?: readonly TableColumn[] | undefined }
}

/**
 * A small chart with the kinds of part the analyses' charts use (a title with a subtitle, layered
 * bars and text, ordinal and quantitative axes, a colour legend), drawn once at start-up so the first
 * chart does not pay for vega's and resvg's first run (about 150 ms, against about 50 ms once warm).
 */
const WARM_UP_CHART = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: 'warm-up', subtitle: 'a chart drawn once at start-up', anchor: 'start' },
  width: { step: 20 },
  height: 40,
  data: { values: [{ x: 'a', series: 'one', count: 1 }, { x: 'b', series: 'two', count: 2 }] },
  encoding: {
    x: { field: 'x', type: 'ordinal', title: 'x', axis: { labelAngle: -45 } },
    y: { aggregate: 'sum', field: 'count', type: 'quantitative', title: 'count', axis: { format: ',d' } }
  },
  layer: [
    { mark: { type: 'bar', tooltip: true }, encoding: { color: { field: 'series', type: 'nominal', title: 'series', legend: { orient: 'right' } } } },
    { mark: { type: 'text', baseline: 'bottom', dy: -3 }, encoding: { text: { aggregate: 'sum', field: 'count', type: 'quantitative', format: ',' } } }
  ]
}

/** Draws `WARM_UP_CHART`, so the first chart asked for is drawn as fast as the later ones. */
export async function warmUpCharts (fontFile: string = CHART_FONT_FILE): Promise<void> {
  await renderChart(WARM_UP_CHART, fontFile)
}

/** The forms drawn from a result when first asked for: its chart (SVG, PNG) and its table (CSV, TSV). */
export type DrawnForm = 'svg' | 'png' | 'csv' | 'tsv'

/** Every drawn form, in the order `createResultRenderer` draws them by default. */
export const DRAWN_FORMS: readonly DrawnForm[] = ['csv', 'tsv', 'svg', 'png']

/**
 * Draws forms of a result: the ones asked for (default: every one it has), plus any that came
 * free (asking for the PNG also gives the SVG it was drawn from). A result without a chart has no
 * SVG or PNG.
 */
export type ResultRenderer = (result: RenderableResult, job: RenderedJob, forms?: readonly DrawnForm[]) => Promise<Partial<Record<DrawnForm, string | Buffer>>>

/** Options of `createResultRenderer`. */
export interface ResultRendererOptions {
  /** The chart font file (default `CHART_FONT_FILE`); checked when the renderer is created. */
  fontFile?: string
  /** Where warnings from drawing a chart go. */
  logger?: Logger
}

/**
 * The renderer the API draws results with on first request: rows as `csv` and `tsv` (in the
 * columns the job's analysis declares), the chart (the result's Vega-Lite spec) as `svg` and `png`.
 * Throws at once when the chart font is missing.
 */
export function createResultRenderer (options: ResultRendererOptions = {}): ResultRenderer {
  const fontFile = options.fontFile ?? CHART_FONT_FILE
  checkChartFont(fontFile)
  return async (result, job, wanted = DRAWN_FORMS) => {
    const forms: Partial<Record<DrawnForm, string | Buffer>> = {}
    const columns = job.analysis.columns ?? columnsOf(result.rows)
    for (const format of ['csv', 'tsv'] as const) if (wanted.includes(format)) forms[format] = toTable(result.rows, columns, format)
    if (result.chart === undefined || !(wanted.includes('svg') || wanted.includes('png'))) return forms
    try {
      const { svg, warnings } = await chartToSvg(result.chart, fontFile)
      if (warnings.length > 0) options.logger?.warn({ jobId: job.id, warnings }, 'the chart was drawn with warnings')
      forms.svg = svg
      if (wanted.includes('png')) forms.png = svgToPng(svg, fontFile).png
    } catch (err) {
      // Drawing is deterministic: another try would fail the same way.
      if (err instanceof UnrecoverableError) throw err
      throw new UnrecoverableError(`drawing the chart failed: ${(err as Error).message}`, { cause: err })
    }
    return forms
  }
}
