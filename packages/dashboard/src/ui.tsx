import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiError } from './api.js'

/** A page's heading, focusable so route changes can move focus to it. */
export function Title ({ children }: { children: ComponentChildren }) {
  return <h1 tabIndex={-1}>{children}</h1>
}

/** An error message (the API's own wording), announced to screen readers. */
export function ErrorNote ({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error)
  return <p class='error' role='alert'>{message}</p>
}

/** State of a value loaded asynchronously: the value, the error, and whether it is loading. */
export interface Loaded<T> { value?: T, error?: unknown, loading: boolean, reload: () => void }

/** Loads `load()` when `deps` change; `reload()` runs it again. */
export function useLoad<T> (load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ value?: T, error?: unknown, loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    setState((previous) => ({ ...previous, loading: true }))
    load().then(
      (value) => { if (live) setState({ value, loading: false }) },
      (error: unknown) => { if (live) setState({ error, loading: false }) }
    )
    return () => { live = false }
  }, [...deps, tick])
  return { ...state, reload: () => { setTick((n) => n + 1) } }
}

/** A job's status as a coloured label. */
export function StatusBadge ({ status }: { status: string }) {
  return <span class={`badge badge-${status.replace(/\s+/g, '-')}`}>{status}</span>
}

/** A labelled progress bar (0-100). */
export function Progress ({ value, label }: { value: number, label: string }) {
  return <progress max={100} value={value} aria-label={label}>{value}%</progress>
}

/** A copy-to-clipboard button that says when it copied. */
export function CopyButton ({ text, label }: { text: string, label: string }) {
  const [done, setDone] = useState<string>('')
  return (
    <span>
      <button
        type='button' onClick={() => {
          navigator.clipboard.writeText(text).then(() => { setDone('Copied') }, () => { setDone('Copy failed: select the text and copy it') })
        }}
      >{label}
      </button>
      <span class='muted' role='status'>{done}</span>
    </span>
  )
}

/** "3 s ago" style age of an ISO date or a number of milliseconds. */
export function age (ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 120) return `${seconds} s`
  const minutes = Math.round(seconds / 60)
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`
}
