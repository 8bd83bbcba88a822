// The chaos soak (`pnpm chaos`) as CI runs it: 60 s of worker SIGKILLs and SIGSTOPs and Redis
// restarts (one in the middle of a reload) under a steady stream of jobs. The soak checks its own
// invariants and exits non-zero on any violation; this test runs it and reads its report.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const SOAK = fileURLToPath(new URL('../../scripts/chaos.mjs', import.meta.url))
const SECONDS = process.env['CHAOS_SECONDS'] ?? '60'

t.test(`chaos soak, ${SECONDS} s: nothing lost, nothing run to completion twice, nothing stuck`, { timeout: (Number(SECONDS) + 300) * 1000 }, async (t) => {
  const child = spawn(process.execPath, [SOAK, '--seconds', SECONDS, '--seed', '7'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  t.comment(stderr.trim().split('\n').slice(-8).join('\n'))
  t.equal(code, 0, `the soak found no violation:\n${stderr.slice(-3000)}`)
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>
  t.comment(JSON.stringify(report))
  t.ok(report['jobs']! > 100, 'jobs were submitted throughout')
  t.same({ lost: report['lost'], duplicated: report['duplicated'], stuck: report['stuck'] }, { lost: 0, duplicated: 0, stuck: 0 })
  t.equal(report['complete']! + report['failed']!, report['jobs'])
  t.ok(report['kills']! > 0 && report['freezes']! > 0, 'workers were killed and frozen')
  t.ok(report['redis_restarts']! >= 2, 'Redis was restarted, once in the middle of a reload')
})
