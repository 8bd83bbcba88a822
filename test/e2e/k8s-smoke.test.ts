// The smoke-test Job of deploy/k8s/test runs an inline node script against the API. Here the very
// same script runs against the API and a worker started as real processes, so the Job tests
// what it says it tests.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { readManifests } from '../k8s/kustomize.js'
import { startStack } from './helpers.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const job = readManifests(join(root, 'deploy/k8s/test/smoke-test-job.yaml')).find((o) => o.kind === 'Job')
const smoke = job?.spec.template.spec.containers[0]

t.test('the smoke-test Job loads data, runs a job and checks its result', async (t) => {
  t.same(smoke.command, ['node', '--input-type=module', '-e'])
  const token = 'k'.repeat(40)
  const stack = await startStack(t, { workers: 1, env: { API_ADMIN_TOKEN: token } })
  const env = { ...process.env, API_URL: stack.baseUrl, API_ADMIN_TOKEN: token }
  const { stdout } = await promisify(execFile)(process.execPath, [...smoke.command.slice(1), smoke.args[0]], { env, timeout: 120_000 })
  const report = JSON.parse(stdout.trim()) as Record<string, unknown>
  t.match(report, { smoke: 'ok', genes: 8 })
  t.equal((await stack.http('GET', `/jobs/${String(report['job'])}`)).body.status, 'complete')
})

t.test('the smoke test fails, exit status 1, when the admin token is wrong', async (t) => {
  const stack = await startStack(t, { workers: 0, env: { API_ADMIN_TOKEN: 'r'.repeat(40) } })
  const env = { ...process.env, API_URL: stack.baseUrl, API_ADMIN_TOKEN: 'w'.repeat(40) }
  const failed = await promisify(execFile)(process.execPath, [...smoke.command.slice(1), smoke.args[0]], { env, timeout: 120_000 }).then(() => null, (err: { code: number, stderr: string }) => err)
  t.equal(failed?.code, 1)
  t.match(failed?.stderr, /smoke test failed: POST \/data answered 403/)
  t.equal((await stack.http('GET', '/health')).body.genes, 0, 'nothing was loaded')
})
