import { useEffect, useState } from 'preact/hooks'
import { api, isFinished, type Job } from './api.js'

const POLL_MS = 1000

/**
 * A job, kept up to date until it finishes: through `GET /jobs/:id/events` (Server-Sent Events,
 * each event the job's state, merged into the job) where the API has it, else by polling
 * `GET /jobs/:id` every second.
 */
export function useLiveJob (id: string): { job?: Job, error?: unknown } {
  const [state, setState] = useState<{ job?: Job, error?: unknown }>({})
  useEffect(() => {
    let live = true
    let source: EventSource | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    // An event may carry only what changed (status, progress, times): merge it into the job.
    const show = (job: Partial<Job>): void => { if (live) setState((previous) => ({ job: { ...previous.job, ...job } as Job })) }
    const poll = async (): Promise<void> => {
      try {
        const job = await api<Job>(`/jobs/${id}`)
        show(job)
        if (live && !isFinished(job)) timer = setTimeout(() => { poll() }, POLL_MS)
      } catch (error) {
        if (live) setState((previous) => ({ ...previous, error }))
      }
    }
    const listen = (): void => {
      let heard = false
      source = new EventSource(`/jobs/${id}/events`)
      const onEvent = (event: MessageEvent<string>): void => {
        heard = true
        try {
          const job = JSON.parse(event.data) as Partial<Job>
          show(job)
          if (job.status !== undefined && isFinished(job as Job)) source?.close()
        } catch {}
      }
      source.addEventListener('message', onEvent)
      for (const name of ['job', 'status', 'progress', 'complete', 'failed']) source.addEventListener(name, onEvent as EventListener)
      source.addEventListener('error', () => {
        // No such route (an older API) or the stream broke before any event: poll instead. A
        // stream that already spoke reconnects by itself.
        if (!heard || source?.readyState === EventSource.CLOSED) {
          source?.close()
          if (live) poll()
        }
      })
    }
    api<Job>(`/jobs/${id}`).then((job) => {
      show(job)
      if (live && !isFinished(job)) listen()
    }, (error: unknown) => { if (live) setState({ error }) })
    return () => {
      live = false
      source?.close()
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [id])
  return state
}
