import { useEffect, useState } from 'preact/hooks'
import { api, isFinished, type Job } from '../api.js'
import { useLiveJob } from '../live-job.js'
import { href, routeQuery } from '../router.js'
import { ErrorNote, Progress, StatusBadge, Title, useLoad } from '../ui.js'
import { JobResult } from './job-result.js'

const STATUSES = ['submitted', 'in progress', 'complete', 'failed'] as const
const LIST_LIMIT = 50

/** Jobs: the newest 50, filtered by status, refreshed every 2 s while any is unfinished. */
export function JobsPage () {
  const status = routeQuery().get('status') ?? ''
  const list = useLoad(async () => {
    const { jobs } = await api<{ jobs: string[] }>(`/jobs?${new URLSearchParams({ limit: String(LIST_LIMIT), ...(status !== '' ? { status } : {}) }).toString()}`)
    return await Promise.all(jobs.map(async (id) => await api<Job>(`/jobs/${id}`)))
  }, [status])
  const unfinished = (list.value ?? []).some((job) => !isFinished(job))
  useEffect(() => {
    if (!unfinished) return
    const timer = setTimeout(list.reload, 2000)
    return () => { clearTimeout(timer) }
  }, [list.value])
  return (
    <section>
      <Title>Jobs</Title>
      <div class='row'>
        <label for='job-status'>Status</label>
        <select id='job-status' value={status} onChange={(event) => { location.hash = `#/jobs${event.currentTarget.value === '' ? '' : `?status=${encodeURIComponent(event.currentTarget.value)}`}` }}>
          <option value=''>all</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <a href={href('analyses')}>Run an analysis</a>
      </div>
      <ErrorNote error={list.error} />
      {list.value !== undefined && list.value.length === 0 && <p>No jobs{status === '' ? '' : ` with status ${status}`} yet.</p>}
      {list.value !== undefined && list.value.length > 0 && (
        <div class='scroll'>
          <table class='jobs'>
            <caption class='sr-only'>The newest jobs{status === '' ? '' : ` with status ${status}`}</caption>
            <thead><tr><th scope='col'>Job</th><th scope='col'>Analysis</th><th scope='col'>Status</th><th scope='col'>Progress</th><th scope='col'>Created</th></tr></thead>
            <tbody>
              {list.value.map((job) => (
                <tr key={job.id}>
                  <td><a href={href('jobs', job.id)}><code>{job.id.slice(0, 8)}</code></a></td>
                  <td>{job.analysis}</td>
                  <td><StatusBadge status={job.status} /></td>
                  <td><Progress value={job.status === 'complete' ? 100 : job.progress ?? 0} label={`progress of job ${job.id.slice(0, 8)}`} /></td>
                  <td><time dateTime={job.created_at}>{new Date(job.created_at).toLocaleString()}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** One job: live status and progress, then the result (chart, summary, table, downloads) or the error. */
export function JobPage ({ id }: { id: string }) {
  const { job, error } = useLiveJob(id)
  const [copied, setCopied] = useState(false)
  return (
    <section>
      <p><a href={href('jobs')}>← Jobs</a></p>
      <Title>{job === undefined ? `Job ${id}` : `${job.analysis} job`}</Title>
      <ErrorNote error={error} />
      {job !== undefined && (
        <>
          <dl class='record'>
            <dt>Id</dt><dd><code>{job.id}</code></dd>
            <dt>Status</dt><dd><StatusBadge status={job.status} /></dd>
            <dt>Progress</dt><dd><Progress value={job.status === 'complete' ? 100 : job.progress ?? 0} label='job progress' /> <span aria-live='polite'>{job.status === 'complete' ? 100 : job.progress ?? 0}%</span></dd>
            <dt>Parameters</dt><dd><code>{JSON.stringify(job.params)}</code> <button type='button' onClick={() => { navigator.clipboard.writeText(JSON.stringify({ analysis: job.analysis, ...job.params })).then(() => { setCopied(true) }) }}>Copy request</button>{copied && <span class='muted' role='status'> Copied</span>}</dd>
            <dt>Created</dt><dd>{job.created_at}</dd>
            {job.finished_at !== undefined && <><dt>Finished</dt><dd>{job.finished_at}</dd></>}
            <dt>Attempts</dt><dd>{job.attempts}</dd>
            {job.last_error !== undefined && job.status !== 'failed' && <><dt>Last attempt failed</dt><dd>{job.last_error}</dd></>}
          </dl>
          {job.status === 'failed' && <p class='error' role='alert'>Failed: {job.error ?? 'no reason recorded'}</p>}
          {job.status === 'complete' && <JobResult id={job.id} />}
        </>
      )}
    </section>
  )
}
