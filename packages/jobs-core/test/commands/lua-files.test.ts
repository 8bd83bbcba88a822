import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startTestRedis } from '@genejobs/test-support'
import { Command } from '../../src/commands/index.js'

const COMMANDS_DIR = new URL('../../src/commands/', import.meta.url)
const PACKAGES_DIR = new URL('../../../', import.meta.url)

/** Lua's ways into Redis: a `.ts` file holding one of them holds a Lua script. */
const LUA_IN_TEXT = /redis\.(p?call|error_reply|status_reply)\s*\(/

const scripts = readdirSync(COMMANDS_DIR).filter((file) => file.endsWith('.lua')).map((file) => file.slice(0, -'.lua'.length))

t.test('every script is named <kebab-case>[-<numkeys>].lua and starts with a KEYS/ARGV header', async (t) => {
  t.ok(scripts.length > 0, 'there are scripts')
  for (const name of scripts) {
    t.match(name, /^[a-z]+(-[a-z]+)*(-\d+)?$/, `${name}: kebab-case`)
    const source = readFileSync(new URL(`${name}.lua`, COMMANDS_DIR), 'utf8')
    // The header: a leading --[[ ]] block, or the leading run of -- lines.
    const header = /^--\[\[([\s\S]*?)\]\]/.exec(source)?.[1] ?? /^(?:--.*\n)+/.exec(source)?.[0] ?? ''
    t.match(header, /KEYS\[1\]/, `${name}: the header says what KEYS holds`)
    const command = new Command(name)
    t.notMatch(command.source, /@include/, `${name}: includes resolved`)
    t.notMatch(command.source, /'SELECT'/i, `${name}: never switches databases`)
    if (command.numberOfKeys !== undefined) {
      const used = [...command.source.matchAll(/KEYS\[(\d+)\]/g)].map((match) => Number(match[1]))
      t.ok(Math.max(...used) <= command.numberOfKeys, `${name}: touches no key beyond KEYS[${command.numberOfKeys}]`)
    }
  }
})

t.test('every script compiles on Redis under the SHA1 the loader sends', async (t) => {
  const redis = await startTestRedis()
  t.teardown(redis.close)
  for (const name of scripts) {
    const command = new Command(name)
    t.equal(await redis.stores.genes.sendCommand(['SCRIPT', 'LOAD', command.source]), command.sha1, name)
  }
})

t.test('a script refuses the wrong number of keys', async (t) => {
  const redis = await startTestRedis()
  t.teardown(redis.close)
  await t.rejects(new Command('set-progress-1').run(redis.stores.jobs, [], []), /set-progress-1\.lua takes 1 keys, got 0/)
})

t.test('no .ts source file holds Lua', async (t) => {
  const holdingLua: string[] = []
  for (const entry of readdirSync(PACKAGES_DIR, { recursive: true, encoding: 'utf8' })) {
    if (!/^[^/]+\/src\/.*\.ts$/.test(entry) || entry.includes('node_modules')) continue
    const text = readFileSync(fileURLToPath(new URL(entry, PACKAGES_DIR)), 'utf8')
    if (LUA_IN_TEXT.test(text)) holdingLua.push(entry)
  }
  t.same(holdingLua, [], 'Lua lives in packages/jobs-core/src/commands/*.lua')
})
