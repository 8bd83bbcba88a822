import t from 'tap'
import { IndexThread, InlineIndexes, type IndexKeys } from '../../src/genes/index-thread.js'
import type { CommandArgs } from '../../src/genes/index-commands.js'
import type { GeneRecord } from '../../src/hgnc/hgnc-reader.js'
import { INDEXED_FIELDS } from '../../src/keys.js'

const KEYS: IndexKeys = { symbols: 's', prefixes: 'p', words: 'w', fields: Object.fromEntries(INDEXED_FIELDS.map((field) => [field, `i:${field}`])) }

function record (doc: Record<string, unknown>): GeneRecord {
  const raw = JSON.stringify(doc)
  return { raw, doc: JSON.parse(raw) as GeneRecord['doc'] }
}

const RECORDS = [
  record({ hgnc_id: 'HGNC:5', symbol: 'A1BG', name: 'alpha-1-B glycoprotein', status: 'Approved', location: '19q13.43', alias_symbol: ['ABG'] }),
  record({ hgnc_id: 'HGNC:7', symbol: 'A2M', name: 'alpha-2-macroglobulin', status: 'Approved', prev_symbol: ['ABG'], pubmed_id: [1, 2] })
]

async function commandsOf (builder: InlineIndexes | IndexThread): Promise<CommandArgs[]> {
  const commands: CommandArgs[] = []
  try {
    await builder.add(RECORDS)
    await builder.finish((command) => { commands.push(command) })
  } finally {
    await builder.close()
  }
  return commands
}

t.test('the thread builds the same index commands as the load\'s own thread', async (t) => {
  const inline = await commandsOf(new InlineIndexes(KEYS))
  const threaded = await commandsOf(new IndexThread(KEYS))
  t.same(threaded, inline)
  t.same(inline.find((command) => command[1] === 's'), ['HSET', 's', 'a1bg', '05', 'abg', '17,25', 'a2m', '07'], 'symbol entries <rank><id>, best first')
})

t.test('a record the thread cannot read fails the load instead of hanging it', async (t) => {
  const thread = new IndexThread(KEYS)
  t.teardown(async () => { await thread.close() })
  await thread.add([{ raw: '{not json', doc: { hgnc_id: 'HGNC:1', symbol: 'X' } }]).catch(() => {})
  await t.rejects(thread.finish(() => {}))
})
