import { useEffect, useState } from 'preact/hooks'
import { adminToken, api, ApiError, setAdminToken, type Job } from '../api.js'
import { href } from '../router.js'
import { age, ErrorNote, Title, useLoad } from '../ui.js'
import { queueView, type QueueView } from './queue-view.js'

interface DataInfo { version: string, source: string, loaded_at: string, sha256: string | null, genes: number }

/** `GET /queue`, or null where the API has no such route (then queue figures are not shown). */
async function loadQueue (): Promise<QueueView | null> {
  try {
    return queueView(await api<unknown>('/queue'))
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}

/** Status (operators): data version, queue, workers, failed jobs with Retry, load and delete data. */
export function StatusPage () {
  const [token, setToken] = useState(adminToken() ?? '')
  const [message, setMessage] = useState<string>('')
  const [error, setError] = useState<unknown>()
  const info = useLoad(async () => {
    try { return await api<DataInfo>('/data/info') } catch (err) { if (err instanceof ApiError && err.status === 404) return null; throw err }
  }, [])
  const queue = useLoad(loadQueue, [])
  const failed = useLoad(async () => {
    const { jobs } = await api<{ jobs: string[] }>('/jobs?status=failed&limit=20')
    return await Promise.all(jobs.map(async (id) => await api<Job>(`/jobs/${id}`)))
  }, [])
  useEffect(() => {
    const timer = setInterval(() => { queue.reload() }, 3000)
    return () => { clearInterval(timer) }
  }, [])
  const hasToken = token !== ''
  const admin = async (what: string, path: string, method: string, after: () => void): Promise<void> => {
    setError(undefined)
    setMessage(`${what}…`)
    try {
      const answer = await api<{ message?: string, status?: string }>(path, { method, admin: true })
      setMessage(answer.message ?? `${what}: done${answer.status !== undefined ? ` (${answer.status})` : ''}`)
      after()
    } catch (err) {
      setMessage('')
      setError(err)
    }
  }
  const unavailable = 'needs the admin token (enter it above)'
  return (
    <section>
      <Title>Status</Title>
      <h2>Data</h2>
      <ErrorNote error={info.error} />
      {info.value === null && <p>No gene data is loaded.</p>}
      {info.value !== undefined && info.value !== null && (
        <dl class='record'>
          <dt>Genes</dt><dd>{info.value.genes.toLocaleString('en')}</dd>
          <dt>Source</dt><dd><code>{info.value.source}</code></dd>
          <dt>Loaded at</dt><dd>{info.value.loaded_at}</dd>
          <dt>Version</dt><dd><code>{info.value.version}</code></dd>
        </dl>
      )}
      <h2>Queue</h2>
      <ErrorNote error={queue.error} />
      {queue.value === null && <p class='muted'>This API has no <code>GET /queue</code> route: queue figures are not available.</p>}
      {queue.value !== undefined && queue.value !== null && <QueueFigures queue={queue.value} />}
      <h2>Failed jobs</h2>
      <ErrorNote error={failed.error} />
      {failed.value?.length === 0 && <p>No failed jobs.</p>}
      {failed.value !== undefined && failed.value.length > 0 && (
        <ul class='failed'>
          {failed.value.map((job) => (
            <li key={job.id}>
              <a href={href('jobs', job.id)}><code>{job.id.slice(0, 8)}</code></a> {job.analysis}: <span class='error-text'>{job.error ?? 'no reason recorded'}</span>{' '}
              {queue.value === null
                ? null
                : <button type='button' disabled={!hasToken} title={hasToken ? undefined : unavailable} onClick={() => { admin(`Retrying job ${job.id.slice(0, 8)}`, `/jobs/${job.id}/retry`, 'POST', () => { failed.reload(); queue.reload() }) }}>Retry</button>}
            </li>
          ))}
        </ul>
      )}
      <h2>Admin</h2>
      <form class='row' onSubmit={(event) => { event.preventDefault(); setAdminToken(token.trim()); setToken(token.trim()); setMessage(token.trim() === '' ? 'Token forgotten.' : 'Token kept for this tab only.') }}>
        <label for='admin-token'>Admin token</label>
        <input id='admin-token' type='password' autoComplete='off' value={token} onInput={(event) => { setToken(event.currentTarget.value) }} />
        <button type='submit'>Use token</button>
        {hasToken && <button type='button' onClick={() => { setAdminToken(''); setToken(''); setMessage('Token forgotten.') }}>Forget</button>}
      </form>
      <p class='muted'>The token (<code>API_ADMIN_TOKEN</code>) stays in this tab's session storage only. Without it, admin actions are unavailable.</p>
      <div class='row'>
        <button type='button' disabled={!hasToken} aria-describedby={hasToken ? undefined : 'admin-unavailable'} onClick={() => { admin('Loading data', '/data', 'POST', info.reload) }}>Load data</button>
        <button type='button' class='danger' disabled={!hasToken} aria-describedby={hasToken ? undefined : 'admin-unavailable'} onClick={() => { if (confirm('Delete all gene data?')) admin('Deleting data', '/data', 'DELETE', info.reload) }}>Delete data</button>
        {!hasToken && <span id='admin-unavailable' class='muted'>Unavailable: {unavailable}.</span>}
      </div>
      <p role='status'>{message}</p>
      <ErrorNote error={error} />
    </section>
  )
}

function QueueFigures ({ queue }: { queue: QueueView }) {
  return (
    <>
      <dl class='record'>
        <dt>Waiting</dt><dd>{queue.depth ?? '—'}</dd>
        <dt>In progress</dt><dd>{queue.inProgress ?? '—'}</dd>
        {queue.delayed !== undefined && <><dt>Waiting to retry</dt><dd>{queue.delayed}</dd></>}
        {queue.failed !== undefined && <><dt>Failed</dt><dd>{queue.failed}</dd></>}
      </dl>
      <h3>Workers</h3>
      {queue.workers.length === 0
        ? <p>No worker is alive.</p>
        : <ul class='workers'>{queue.workers.map((worker) => <li key={worker.id}><code>{worker.id}</code>{worker.alive === false && <span class='error-text'> · not responding</span>}{worker.heartbeatAgeMs !== undefined && <> · heartbeat {age(worker.heartbeatAgeMs)} ago</>}{worker.detail !== '' && <span class='muted'> · {worker.detail}</span>}</li>)}</ul>}
    </>
  )
}
