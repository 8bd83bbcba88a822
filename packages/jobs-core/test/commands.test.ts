import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startTestRedis } from '@genejobs/test-support'
import { Command } from '../src/commands/index.js'

const commandsDir = new URL('../src/commands/', import.meta.url)
const scripts = readdirSync(commandsDir).filter((file) => file.endsWith('.lua')).map((file) => file.slice(0, -4))
const redis = await startTestRedis()
t.teardown(redis.close)

t.test('every script loads, with its includes, and Redis compiles it', async (t) => {
  t.ok(scripts.length >= 7, `${scripts.length} scripts`)
  for (const name of scripts) {
    const command = new Command(name)
    t.notMatch(command.source, /@include/, `${name}: includes resolved`)
    t.notMatch(command.source, /'SELECT'/i, `${name}: never switches databases`)
    t.equal(await redis.stores.jobs.scriptLoad(command.source), command.sha1, `${name}: compiles`)
  }
})

t.test('a script refuses the wrong number of keys', async (t) => {
  await t.rejects(new Command('set-progress-1').run(redis.stores.jobs, [], []), /set-progress-1\.lua takes 1 keys, got 0/)
})

t.test('no Lua is left inside TypeScript sources', async (t) => {
  const root = new URL('../../', import.meta.url).pathname
  const offenders: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts') && readFileSync(path, 'utf8').includes('redis.call(')) offenders.push(path)
    }
  }
  for (const pkg of readdirSync(root)) {
    try { walk(join(root, pkg, 'src')) } catch { /* a package without src/ */ }
  }
  t.same(offenders, [])
})
