import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { IndexedBatch } from '../../src/genes/batch-indexer.js'
import { IndexThread, InlineIndexes } from '../../src/genes/index-thread.js'
import type { CommandArgs } from '../../src/genes/index-commands.js'
import type { IndexKeys } from '../../src/genes/version-indexes.js'
import { INDEXED_FIELDS } from '../../src/keys.js'

const KEYS: IndexKeys = { symbols: 's', prefixes: 'p', words: 'w', fields: Object.fromEntries(INDEXED_FIELDS.map((field) => [field, `i:${field}`])) }

function record (doc: Record<string, unknown>): string {
  return JSON.stringify(doc)
}

const RECORDS = [
  record({ hgnc_id: 'HGNC:5', symbol: 'A1BG', name: 'alpha-1-B glycoprotein', status: 'Approved', location: '19q13.43', alias_symbol: ['ABG'] }),
  record({ hgnc_id: 'HGNC:7', symbol: 'A2M', name: 'alpha-2-macroglobulin', status: 'Approved', prev_symbol: ['ABG'], pubmed_id: [1, 2] })
]

async function commandsOf (builder: InlineIndexes | IndexThread): Promise<{ indexed: IndexedBatch, commands: CommandArgs[] }> {
  const commands: CommandArgs[] = []
  try {
    const indexed = await builder.add({ format: 'json', items: RECORDS })
    await builder.finish((command) => { commands.push(command) })
    return { indexed, commands }
  } finally {
    await builder.close()
  }
}

t.test('the thread builds the same index commands as the load\'s own thread', async (t) => {
  const inline = await commandsOf(new InlineIndexes(KEYS))
  const threaded = await commandsOf(new IndexThread(KEYS))
  t.same(threaded, inline)
  t.same(inline.indexed.ids, [5, 7], 'each record\'s numeric id, in order')
  t.match(inline.indexed.members, [/^5\tA1BG\tApproved/, /^7\tA2M\tApproved/], 'and its projection member')
  t.same(inline.commands.find((command) => command[1] === 's'), ['HSET', 's', 'a1bg', '05', 'abg', '17,25', 'a2m', '07'], 'symbol entries <rank><id>, best first')
})

t.test('a record the thread cannot read fails the load instead of hanging it', async (t) => {
  const thread = new IndexThread(KEYS)
  t.teardown(async () => { await thread.close() })
  await t.rejects(thread.add({ format: 'json', items: ['{not json'] }), { code: 'SOURCE_MALFORMED', message: /record 1 is not valid JSON/ })
  await t.rejects(thread.finish(() => {}))
})

t.test('the thread loads only the parsing and indexing code: no Redis client, no scripts (it starts in a few ms)', async (t) => {
  // Follows the built entry's static imports (type-only imports are gone from the built code).
  const entry = fileURLToPath(new URL('../../dist/genes/index-thread-main.js', import.meta.url))
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else if (!specifier.startsWith('node:')) packages.add(specifier)
    }
  }
  visit(entry)
  t.same([...packages], [], 'no package but Node\'s own')
  t.notOk([...seen].some((file) => /commands[\\/]index\.js$|redis/.test(file)), `modules: ${[...seen].map((file) => basename(file)).join(', ')}`)
  t.ok(seen.size >= 10, `${seen.size} modules followed`)
})
