import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { fixturePath } from '@genejobs/test-support'
import { readHgncSource, readHgncText, type GeneRecord } from '../../src/hgnc/hgnc-reader.js'

async function collect (records: AsyncIterable<GeneRecord>): Promise<GeneRecord[]> {
  const all: GeneRecord[] = []
  for await (const record of records) all.push(record)
  return all
}

/** Feeds text in pieces of `size` characters, to cross every chunk boundary. */
async function * pieces (text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

const fixtureJson = await readFile(fixturePath('genes.json'), 'utf8')
const expectedDocs = (JSON.parse(fixtureJson) as { response: { docs: Array<Record<string, unknown>> } }).response.docs

t.test('reads HGNC JSON: every record, in order, raw text preserved', async (t) => {
  const records = await collect(readHgncSource(fixturePath('genes.json')))
  t.equal(records.length, 8)
  t.same(records.map((r) => r.doc.hgnc_id), expectedDocs.map((d) => d['hgnc_id']))
  // The 64-bit _version_ survives in the raw text even though doc holds a rounded double.
  const withBigVersion = records[1] as GeneRecord
  t.match(withBigVersion.raw, /"_version_":9007199254740993}$/)
  t.equal(fixtureJson.includes(withBigVersion.raw), true, 'raw is an exact substring of the source')
})

t.test('gzip is recognised by content, and file:// URLs work', async (t) => {
  const plain = await collect(readHgncSource(fixturePath('genes.json')))
  const gzipped = await collect(readHgncSource(pathToFileURL(fixturePath('genes.json.gz')).href))
  t.same(gzipped.map((r) => r.raw), plain.map((r) => r.raw))
})

t.test('a source reader hashes the bytes as read: the compressed bytes for a gzip file', async (t) => {
  for (const path of [fixturePath('genes.json'), fixturePath('genes.json.gz'), fixturePath('genes.tsv.gz')]) {
    const records = readHgncSource(path)
    t.equal(records.sha256, undefined, 'unknown before the end is read')
    await collect(records)
    t.equal(records.sha256, createHash('sha256').update(await readFile(path)).digest('hex'), path)
  }
})

t.test('a bare array of records is accepted', async (t) => {
  const text = JSON.stringify(expectedDocs.slice(0, 3), null, 2)
  const records = await collect(readHgncText(pieces(text, 7)))
  t.same(records.map((r) => r.doc.symbol), ['A1BG', 'A1BG-AS1', 'A12M1'])
})

t.test('any chunking of the input gives the same records', async (t) => {
  const whole = await collect(readHgncText(pieces(fixtureJson, fixtureJson.length)))
  for (const size of [1, 2, 3, 17, 64, 1000]) {
    const split = await collect(readHgncText(pieces(fixtureJson, size)))
    t.same(split.map((r) => r.raw), whole.map((r) => r.raw), `pieces of ${size}`)
  }
})

t.test('strings with escaped quotes, braces and backslashes do not confuse the splitter', async (t) => {
  const text = '[{"hgnc_id":"HGNC:9","symbol":"X\\"}{[","name":"a \\\\\\" b \\\\"},{"hgnc_id":"HGNC:10","symbol":"Y"}]'
  for (const size of [1, 5, 1000]) {
    const records = await collect(readHgncText(pieces(text, size)))
    t.same(records.map((r) => r.doc.symbol), ['X"}{[', 'Y'])
    t.equal(records[0]?.doc['name'], 'a \\" b \\')
  }
})

t.test('reads HGNC TSV like the JSON: renamed columns, arrays, numbers', async (t) => {
  const tsv = await collect(readHgncSource(fixturePath('genes.tsv.gz')))
  t.equal(tsv.length, 8)
  const a1bg = tsv[0]?.doc
  t.same(a1bg?.['gene_group'], ['Immunoglobulin like domain containing'], 'gene_family renamed, single value made an array')
  t.same(a1bg?.['gene_group_id'], [594], 'gene_family_id renamed, numeric')
  t.same(a1bg?.['pubmed_id'], [2591067])
  t.equal(a1bg?.['entrez_id'], '1', 'entrez_id stays a string as in the JSON')
  t.notOk('alias_symbol' in (a1bg ?? {}), 'empty cells are left out')
  t.same(tsv[1]?.doc['prev_symbol'], ['NCRNA00181', 'A1BGAS'], 'quoted cells split on |')
  t.same(tsv[5]?.doc['lsdb'], ['LRG_292|http://www.lrg-sequence.org/LRG'], 'an unquoted | stays one value')
  // Every field the TSV carries has the JSON's value.
  const json = await collect(readHgncSource(fixturePath('genes.json')))
  for (const [i, record] of tsv.entries()) {
    for (const [field, value] of Object.entries(record.doc)) t.same(value, json[i]?.doc[field], `${record.doc.hgnc_id} ${field}`)
  }
})

t.test('TSV with CRLF line endings reads the same', async (t) => {
  const tsv = (await readFile(fixturePath('genes.tsv'), 'utf8')).replaceAll('\n', '\r\n')
  const records = await collect(readHgncText(pieces(tsv, 13)))
  t.same(records.map((r) => r.doc.hgnc_id).slice(0, 2), ['HGNC:5', 'HGNC:37133'])
  t.equal(records[0]?.doc['omim_id']?.toString(), '138670')
})

const malformed: Array<[string, string, RegExp]> = [
  ['truncated JSON', fixtureJson.slice(0, 900), /ends inside record 2 \(truncated download\?\)/],
  ['a record that is not JSON', '[{"hgnc_id":"HGNC:1","symbol":"A"},{"hgnc_id":"HGNC:2","symbol":tru}]', /record 2 is not valid JSON/],
  ['a record without hgnc_id', '[{"hgnc_id":"HGNC:1","symbol":"A"},{"symbol":"B"}]', /record 2: hgnc_id undefined is missing or not of the form HGNC:<number>/],
  ['a bad hgnc_id', '[{"hgnc_id":"GENE:1","symbol":"A"}]', /record 1: hgnc_id "GENE:1" is missing/],
  ['a record without symbol', '[{"hgnc_id":"HGNC:1"}]', /record 1 \(HGNC:1\): symbol is missing or empty/],
  ['a non-object in the docs array', '{"response":{"docs":[{"hgnc_id":"HGNC:1","symbol":"A"},42]}}', /expected a record object after record 1/],
  ['no docs array', '{"response":{"numFound":0}}', /no records found/],
  ['trailing garbage', '[{"hgnc_id":"HGNC:1","symbol":"A"}] x', /unexpected content after the end of the document/],
  ['unbalanced brackets', '[{"hgnc_id":"HGNC:1","symbol":"A"]]', /unbalanced "]" in record 1/],
  ['a TSV row with missing cells', 'hgnc_id\tsymbol\tname\nHGNC:1\tA\tx\nHGNC:2\tB\n', /line 3: expected 3 tab-separated cells as in the header, found 2/],
  ['a TSV without the hgnc_id column', 'id\tsymbol\n1\tA\n', /line 1: the header row must name the columns hgnc_id and symbol/],
  ['a TSV with a non-numeric pubmed_id', 'hgnc_id\tsymbol\tpubmed_id\nHGNC:1\tA\t"12|x"\n', /line 2: pubmed_id value "x" is not a whole number/],
  ['empty input', '   \n', /the source is empty/]
]
for (const [name, text, message] of malformed) {
  t.test(`malformed input is refused with where and what: ${name}`, async (t) => {
    await t.rejects(collect(readHgncText(pieces(text, 50))), { code: 'SOURCE_MALFORMED', message })
  })
}

t.test('invalid UTF-8 is refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'genejobs-reader-'))
  const path = join(dir, 'bad.json')
  await writeFile(path, Buffer.concat([Buffer.from('[{"hgnc_id":"HGNC:1","symbol":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]')]))
  await t.rejects(collect(readHgncSource(path)), { code: 'SOURCE_MALFORMED', message: /not valid UTF-8/ })
})

t.test('corrupt gzip is refused as malformed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'genejobs-reader-'))
  const path = join(dir, 'bad.json.gz')
  const good = gzipSync(fixtureJson)
  await writeFile(path, good.subarray(0, good.length - 40))
  await t.rejects(collect(readHgncSource(path)), { code: 'SOURCE_MALFORMED' })
})

t.test('a missing file or an unreachable URL is SOURCE_UNREACHABLE', async (t) => {
  await t.rejects(collect(readHgncSource('/nonexistent/hgnc.json')), { code: 'SOURCE_UNREACHABLE', message: /cannot read HGNC source file \/nonexistent\/hgnc.json/ })
  await t.rejects(collect(readHgncSource('http://127.0.0.1:1/hgnc.json')), { code: 'SOURCE_UNREACHABLE', message: /cannot fetch HGNC source http:\/\/127.0.0.1:1\/hgnc.json/ })
  await t.rejects(collect(readHgncSource('ftp://example.org/x')), { code: 'SOURCE_UNREACHABLE', message: /unsupported source/ })
})
