import { UnrecoverableError, type Logger } from '@genejobs/jobs-core'
import { CHART_FONT_FILE, checkChartFont, renderChart } from './chart.js'
import { columnsOf, toTable, type TableColumn } from './table.js'
import { compact } from './compact.js'

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
 * job does not pay for vega's and resvg's first run (about 150 ms, against about 50 ms once warm).
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

/** Draws `WARM_UP_CHART`, so the first job's chart is drawn as fast as the later ones. */
export async function warmUpCharts (fontFile: string = CHART_FONT_FILE): Promise<void> {
  await renderChart(WARM_UP_CHART, fontFile)
}

/** Turns an analysis result into the forms stored with it. */
export type ResultRenderer = (result: RenderableResult, job: RenderedJob) => Promise<Record<string, string | Buffer>>

/** Options of `createResultRenderer`. */
export interface ResultRendererOptions {
  /** The chart font file (default `CHART_FONT_FILE`); checked when the renderer is created. */
  fontFile?: string
  /** Where warnings from drawing a chart go. */
  logger?: Logger
}

/**
 * The worker's `renderResult`: every result is stored as `json` (with the Vega-Lite spec as
 * `chart`), and its rows as `csv` and `tsv` (in the columns the job's analysis declares); a result
 * with a chart also as `svg` and `png`.
 * Throws at once when the chart font is missing; warms the chart renderer up in the background.
 */
export function createResultRenderer (options: ResultRendererOptions = {}): ResultRenderer {
  const fontFile = options.fontFile ?? CHART_FONT_FILE
  checkChartFont(fontFile)
  warmUpCharts(fontFile).catch((err: unknown) => { options.logger?.warn({ err }, 'warming the chart renderer up failed') })
  return async (result, job) => {
    const columns = job.analysis.columns ?? columnsOf(result.rows)
    // Each large form becomes a Buffer as soon as it is written, so its string can go at once
    // instead of every form being held twice (a 200,000-row result is about 65 MB of them).
    const forms: Record<string, string | Buffer> = {
      json: compact(JSON.stringify(result)),
      csv: compact(toTable(result.rows, columns, 'csv')),
      tsv: compact(toTable(result.rows, columns, 'tsv'))
    }
    if (result.chart !== undefined) {
      try {
        const { svg, png, warnings } = await renderChart(result.chart, fontFile)
        if (warnings.length > 0) options.logger?.warn({ jobId: job.id, warnings }, 'the chart was drawn with warnings')
        forms['svg'] = svg
        forms['png'] = png
      } catch (err) {
        // Drawing is deterministic: another attempt would fail the same way.
        if (err instanceof UnrecoverableError) throw err
        throw new UnrecoverableError(`drawing the chart failed: ${(err as Error).message}`, { cause: err })
      }
    }
    return forms
  }
}
