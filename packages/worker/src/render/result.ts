import { UnrecoverableError, type Job, type Logger } from '@genejobs/jobs-core'
import type { AnalysisResult } from '../analyses/index.js'
import { APPROVAL_TIMELINE_COLUMNS, approvalTimelineChart } from '../analyses/approval-timeline.js'
import { CHROMOSOMES_COLUMNS, chromosomesChart } from '../analyses/chromosomes.js'
import { LOCUS_TYPES_COLUMNS, locusTypesChart } from '../analyses/locus-types.js'
import { SYMBOL_CHECK_COLUMNS, symbolCheckChart } from '../analyses/symbol-check.js'
import type { TableColumn } from '../analyses/table-columns.js'
import { CHART_FONT_FILE, checkChartFont, renderChart } from './chart.js'
import { columnsOf, toTable } from './table.js'

/** The table columns of each analysis's download; others get their rows' own fields. */
export const TABLE_COLUMNS: Readonly<Record<string, readonly TableColumn[]>> = {
  'approval-timeline': APPROVAL_TIMELINE_COLUMNS,
  'locus-types': LOCUS_TYPES_COLUMNS,
  chromosomes: CHROMOSOMES_COLUMNS,
  'symbol-check': SYMBOL_CHECK_COLUMNS
}

/**
 * Draws one small chart of each kind, so the first job does not pay for vega's and resvg's first
 * run (about 150 ms a chart kind, against about 50 ms once warm).
 */
export async function warmUpCharts (fontFile: string = CHART_FONT_FILE): Promise<void> {
  const range = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2', total: 1, dated: 1 }
  const group = { locus_group: 'protein-coding gene', count: 1 }
  const charts = [
    approvalTimelineChart(range, [{ year: 2000, ...group }]),
    locusTypesChart(range, [{ locus_type: 'gene with protein product', ...group }]),
    chromosomesChart(range, [{ chromosome: '1', ...group }]),
    symbolCheckChart({ inputs: 1, unique_inputs: 1, by_match_type: { approved: 1, previous: 0, alias: 0, withdrawn: 0, unmatched: 0 } })
  ]
  for (const chart of charts) await renderChart(chart, fontFile)
}

/** Turns an analysis result into the forms stored with it. */
export type ResultRenderer = (result: AnalysisResult, job: Pick<Job, 'id'> & { analysis?: string }) => Promise<Record<string, string | Buffer>>

/** Options of `createResultRenderer`. */
export interface ResultRendererOptions {
  /** The chart font file (default `CHART_FONT_FILE`); checked when the renderer is created. */
  fontFile?: string
  /** Where warnings from drawing a chart go. */
  logger?: Logger
}

/**
 * The worker's `renderResult`: every result is stored as `json` (with the Vega-Lite spec as
 * `chart`), and its rows as `csv` and `tsv`; a result with a chart also as `svg` and `png`.
 * Throws at once when the chart font is missing; warms the chart renderer up in the background.
 */
export function createResultRenderer (options: ResultRendererOptions = {}): ResultRenderer {
  const fontFile = options.fontFile ?? CHART_FONT_FILE
  checkChartFont(fontFile)
  warmUpCharts(fontFile).catch((err: unknown) => { options.logger?.warn({ err }, 'warming the chart renderer up failed') })
  return async (result, job) => {
    const columns = TABLE_COLUMNS[job['analysis'] ?? ''] ?? columnsOf(result.rows)
    const forms: Record<string, string | Buffer> = {
      json: JSON.stringify(result),
      csv: toTable(result.rows, columns, 'csv'),
      tsv: toTable(result.rows, columns, 'tsv')
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
