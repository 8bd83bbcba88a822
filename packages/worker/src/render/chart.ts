import { existsSync } from 'node:fs'
import { Resvg } from '@resvg/resvg-js'
import { UnrecoverableError } from '@genejobs/jobs-core'
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { readFontMetrics } from './font-metrics.js'

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
export interface ChartSvg {
  svg: string
  warnings: string[]
}

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
const noLoader: vega.Loader = {
  load: async (uri) => { throw new Error(`charts load no data (asked for ${uri})`) },
  sanitize: async (uri) => { throw new Error(`charts load no data (asked for ${uri})`) },
  http: async (uri) => { throw new Error(`charts load no data (asked for ${uri})`) },
  file: async (uri) => { throw new Error(`charts load no data (asked for ${uri})`) }
}

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
