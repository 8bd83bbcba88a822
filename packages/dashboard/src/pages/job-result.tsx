import { Fragment } from 'preact'
import { useRef, useState } from 'preact/hooks'
import { api } from '../api.js'
import { ErrorNote, useLoad } from '../ui.js'

interface Result { summary: Record<string, unknown>, rows: Array<Record<string, unknown>>, chart?: Record<string, unknown> }

const PAGE = 25
const DOWNLOADS = [
  { format: 'png', label: 'PNG', file: 'png' },
  { format: 'svg', label: 'SVG', file: 'svg' },
  { format: 'csv', label: 'CSV', file: 'csv' },
  { format: 'tsv', label: 'TSV', file: 'tsv' },
  { format: 'vega-lite', label: 'Vega-Lite', file: 'vl.json' },
  { format: 'json', label: 'JSON', file: 'json' }
] as const

const show = (value: unknown): string => typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)

/** A complete job's result: the chart (SVG, and Vega on demand), summary, the rows paged, downloads. */
export function JobResult ({ id }: { id: string }) {
  const result = useLoad(async () => await api<Result>(`/results/${id}?format=json`), [id])
  const value = result.value
  if (value === undefined) return <ErrorNote error={result.error} />
  const charted = value.chart !== undefined
  const title = charted ? chartTitle(value.chart) : ''
  return (
    <div class='result'>
      {charted && (
        <>
          <h2>Chart</h2>
          <figure class='chart'>
            <img src={`/results/${id}?format=svg`} alt={title === '' ? 'the result chart' : `chart: ${title}`} />
          </figure>
          <InteractiveChart spec={value.chart ?? {}} />
        </>
      )}
      <h2>Downloads</h2>
      <ul class='downloads'>
        {DOWNLOADS.filter((d) => charted || !['png', 'svg', 'vega-lite'].includes(d.format)).map((d) => (
          <li key={d.format}><a class='button' href={`/results/${id}?format=${d.format}`} download={`${id}.${d.file}`}>{d.label}</a></li>
        ))}
      </ul>
      <h2>Summary</h2>
      <dl class='record'>
        {Object.entries(value.summary).map(([key, v]) => <Fragment key={key}><dt>{key}</dt><dd>{show(v)}</dd></Fragment>)}
      </dl>
      <RowsTable rows={value.rows} />
    </div>
  )
}

function chartTitle (chart: Record<string, unknown> | undefined): string {
  const title = chart?.['title']
  if (typeof title === 'string') return title
  if (typeof title === 'object' && title !== null && 'text' in title) return show((title as { text: unknown }).text)
  return ''
}

function InteractiveChart ({ spec }: { spec: Record<string, unknown> }) {
  const box = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'idle' | 'loading' | 'shown'>('idle')
  const [error, setError] = useState<unknown>()
  const open = async (): Promise<void> => {
    setState('loading')
    try {
      const { showChart } = await import('../chart.js')
      if (box.current !== null) await showChart(box.current, spec)
      setState('shown')
    } catch (err) {
      setError(err)
      setState('idle')
    }
  }
  return (
    <div>
      {state !== 'shown' && <button type='button' disabled={state === 'loading'} onClick={() => { open() }}>{state === 'loading' ? 'Loading the interactive chart…' : 'Interactive chart (hover for values)'}</button>}
      <ErrorNote error={error} />
      <div ref={box} class='interactive' />
    </div>
  )
}

function RowsTable ({ rows }: { rows: Array<Record<string, unknown>> }) {
  const [offset, setOffset] = useState(0)
  const columns = [...new Set(rows.slice(0, 100).flatMap((row) => Object.keys(row)))]
  const page = rows.slice(offset, offset + PAGE)
  return (
    <>
      <h2>Rows <span class='muted'>({rows.length})</span></h2>
      {rows.length === 0
        ? <p>No rows.</p>
        : (
          <>
            <div class='scroll' tabIndex={0} role='region' aria-label='result rows'>
              <table class='rows'>
                <thead><tr>{columns.map((column) => <th key={column} scope='col'>{column}</th>)}</tr></thead>
                <tbody>{page.map((row, i) => <tr key={offset + i}>{columns.map((column) => <td key={column}>{row[column] === undefined ? '' : show(row[column])}</td>)}</tr>)}</tbody>
              </table>
            </div>
            {rows.length > PAGE && (
              <nav class='row' aria-label='Row pages'>
                <button type='button' disabled={offset === 0} onClick={() => { setOffset(Math.max(0, offset - PAGE)) }}>Previous rows</button>
                <span>{offset + 1}–{Math.min(rows.length, offset + PAGE)} of {rows.length}</span>
                <button type='button' disabled={offset + PAGE >= rows.length} onClick={() => { setOffset(offset + PAGE) }}>Next rows</button>
              </nav>
            )}
          </>
          )}
    </>
  )
}
