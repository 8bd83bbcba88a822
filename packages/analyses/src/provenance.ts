import type { DataVersionInfo } from '@genejobs/jobs-core'
import type { AnalysisResult } from './analysis.js'

/** The line a chart carries to say which data it was drawn from. */
export function provenanceNote (data: DataVersionInfo): string {
  const digest = data.sha256 === null ? 'no SHA-256' : `SHA-256 ${data.sha256.slice(0, 12)}…`
  return `Data: HGNC version ${data.version} (${data.genes.toLocaleString('en-US')} genes, ${digest}), loaded ${data.loaded_at}`
}

/**
 * Adds to a result the data version it was computed on (`data`), and to its chart a last subtitle
 * line saying so, so a scientist can name the snapshot after it has been replaced.
 */
export function withProvenance (result: AnalysisResult, data: DataVersionInfo | null): AnalysisResult {
  if (data === null) return result
  if (result.chart === undefined) return { ...result, data }
  const title = result.chart['title']
  const note = provenanceNote(data)
  const chart = typeof title === 'object' && title !== null
    ? { ...result.chart, title: { ...title, subtitle: [...subtitleLines((title as { subtitle?: unknown }).subtitle), note] } }
    : { ...result.chart, title: { text: typeof title === 'string' ? title : '', subtitle: [note], anchor: 'start' } }
  return { ...result, chart, data }
}

function subtitleLines (subtitle: unknown): string[] {
  if (Array.isArray(subtitle)) return subtitle.map(String)
  return typeof subtitle === 'string' ? [subtitle] : []
}
