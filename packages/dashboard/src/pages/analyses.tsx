import { useMemo, useState } from 'preact/hooks'
import { api, ApiError, type AnalysisInfo, type Job } from '../api.js'
import { href } from '../router.js'
import { fieldsOf, requestOf, type Field } from '../schema-form.js'
import { ErrorNote, Title, useLoad } from '../ui.js'

/** Analyses: one form per analysis, generated from the request schemas `GET /analyses` lists. */
export function AnalysesPage ({ selected }: { selected: string | undefined }) {
  const list = useLoad(async () => (await api<{ analyses: AnalysisInfo[] }>('/analyses')).analyses, [])
  const analyses = list.value ?? []
  const current = analyses.find((analysis) => analysis.name === selected) ?? analyses[0]
  return (
    <section>
      <Title>Analyses</Title>
      <p>Pick an analysis, fill in its parameters and run it: the job runs on a worker and its page shows the progress, the chart and the table.</p>
      <ErrorNote error={list.error} />
      <nav aria-label='Analyses'>
        <ul class='tabs'>
          {analyses.map((analysis) => (
            <li key={analysis.name}><a href={href('analyses', analysis.name)} aria-current={analysis === current ? 'page' : undefined}>{analysis.name}</a></li>
          ))}
        </ul>
      </nav>
      {current !== undefined && <AnalysisForm key={current.name} analysis={current} />}
    </section>
  )
}

function AnalysisForm ({ analysis }: { analysis: AnalysisInfo }) {
  const fields = useMemo(() => fieldsOf(analysis.schema), [analysis])
  const [values, setValues] = useState<Record<string, string | boolean>>({})
  const [error, setError] = useState<ApiError | Error | undefined>()
  const [busy, setBusy] = useState(false)
  const set = (name: string, value: string | boolean): void => { setValues((previous) => ({ ...previous, [name]: value })) }
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const job = await api<Job>('/jobs', { method: 'POST', body: requestOf(analysis.name, fields, values) })
      location.hash = href('jobs', job.id)
    } catch (err) {
      setError(err as Error)
      setBusy(false)
      // Keyboard users land on the field the API complained about.
      const field = err instanceof ApiError ? err.field : undefined
      if (field !== undefined) document.getElementById(`field-${analysis.name}-${field}`)?.focus()
    }
  }
  const fieldError = error instanceof ApiError ? error.field : undefined
  return (
    <form class='analysis' noValidate aria-label={`Run ${analysis.name}`} onSubmit={(event) => { submit(event) }}>
      <h2>{analysis.name}</h2>
      {analysis.schema.description !== undefined && <p>{analysis.schema.description}</p>}
      {fields.map((field) => (
        <FieldInput key={field.name} analysis={analysis.name} field={field} value={values[field.name]} error={field.name === fieldError ? error?.message : undefined} onChange={(value) => { set(field.name, value) }} />
      ))}
      {error !== undefined && fieldError === undefined && <ErrorNote error={error} />}
      <button type='submit' disabled={busy}>{busy ? 'Submitting…' : `Run ${analysis.name}`}</button>
    </form>
  )
}

interface FieldInputProps { analysis: string, field: Field, value: string | boolean | undefined, error: string | undefined, onChange: (value: string | boolean) => void }

function FieldInput ({ analysis, field, value, error, onChange }: FieldInputProps) {
  const id = `field-${analysis}-${field.name}`
  const described = [`${id}-hint`, ...(error !== undefined ? [`${id}-error`] : [])].join(' ')
  const common = { id, name: field.name, 'aria-describedby': described, 'aria-invalid': error !== undefined ? true : undefined }
  const text = typeof value === 'string' ? value : ''
  let input
  if (field.kind === 'checkbox') {
    input = <input type='checkbox' {...common} checked={value === true} onChange={(event) => { onChange(event.currentTarget.checked) }} />
  } else if (field.kind === 'select') {
    input = (
      <select {...common} value={text} onChange={(event) => { onChange(event.currentTarget.value) }}>
        {!field.required && <option value=''>(any)</option>}
        {field.options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    )
  } else if (field.kind === 'list') {
    input = (
      <>
        <textarea {...common} rows={6} value={text} onInput={(event) => { onChange(event.currentTarget.value) }} placeholder='one per line (or separated by commas or spaces)' />
        <label class='file'>
          Or read them from a text file (read here, in the browser):{' '}
          <input
            type='file' accept='.txt,.csv,.tsv,text/plain,text/csv' onChange={(event) => {
              const file = event.currentTarget.files?.[0]
              if (file !== undefined) file.text().then(onChange, () => { onChange('') })
            }}
          />
        </label>
      </>
    )
  } else {
    input = <input type='text' inputMode={field.kind === 'number' ? 'numeric' : undefined} {...common} value={text} onInput={(event) => { onChange(event.currentTarget.value) }} />
  }
  return (
    <div class={`field field-${field.kind}`}>
      <label for={id}>{field.name}{field.required ? ' (required)' : ''}</label>
      {input}
      <small id={`${id}-hint`} class='muted'>{field.description}</small>
      {error !== undefined && <p id={`${id}-error`} class='error field-error' role='alert'>{error}</p>}
    </div>
  )
}
