import type { VegaLiteSpec } from '../analysis.js'
import { chartTitle, COUNT_AXIS, VEGA_LITE_SCHEMA } from './charts.js'

/** What a chart of inputs per match kind shows: its titles, the kinds in axis order, their counts and colours. */
export interface MatchChartOptions {
  title: string
  subtitle: string
  /** The field the kinds are in (also the tooltip's name for them). */
  field: string
  xTitle: string
  colourTitle: string
  kinds: readonly string[]
  counts: Readonly<Record<string, number>>
  colours: Readonly<Record<string, string>>
  /** The plot's width in pixels (480 unless given). */
  width?: number
}

/**
 * A bar per match kind, every kind on the axis (zeros included), each labelled with its count: the
 * chart of the analyses that match inputs to genes (`symbol-check`, `id-mapping`).
 */
export function matchCountChart (options: MatchChartOptions): VegaLiteSpec {
  const { field, kinds } = options
  const values = kinds.map((kind) => ({ [field]: kind, inputs: options.counts[kind] ?? 0 }))
  const x = { field, type: 'nominal', title: options.xTitle, sort: kinds, axis: { labelAngle: 0 } }
  const y = { field: 'inputs', type: 'quantitative', title: 'Inputs', axis: COUNT_AXIS }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title, options.subtitle),
    width: options.width ?? 480,
    height: 280,
    data: { values },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: { color: { field, type: 'nominal', title: options.colourTitle, sort: kinds, scale: { domain: kinds, range: kinds.map((kind) => options.colours[kind] ?? '#72b7b2') }, legend: null } }
      },
      { mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 11 }, encoding: { text: { field: 'inputs', type: 'quantitative', format: ',' } } }
    ]
  }
}
