import t from 'tap'
import { buildCodebook, CODEBOOK_SIZE, RecordDecoder, RecordEncoder } from '../../src/genes/record-codec.js'
import type { HgncDoc } from '../../src/hgnc/json-records.js'

const RAWS = [
  '{"hgnc_id":"HGNC:5","symbol":"A1BG","name":"alpha-1-B glycoprotein","locus_type":"gene with protein product","status":"Approved","ensembl_gene_id":"ENSG00000121410","pubmed_id":[2591067],"_version_":1761599372646154240}',
  '{"hgnc_id":"HGNC:7","symbol":"A2M","name":"alpha-2-macroglobulin","locus_type":"gene with protein product","status":"Approved","ensembl_gene_id":"ENSG00000175899","pubmed_id":[2408344,2001474],"_version_":1761599372646154241}',
  '{"hgnc_id":"HGNC:8","symbol":"A2MP1","name":"alpha-2-macroglobulin pseudogene 1","locus_type":"pseudogene","status":"Approved","ensembl_gene_id":"ENSG00000256069","_version_":1761599372646154242}'
]
// JSON.parse rounds _version_; the codebook is built from parsed records, the records encoded from their text.
const docs = RAWS.map((raw) => JSON.parse(raw) as HgncDoc)

t.test('round trip: every record decodes to its exact text, and shrinks', async (t) => {
  const codebook = buildCodebook(docs)
  t.ok(codebook.length > 5 && codebook.length <= CODEBOOK_SIZE)
  t.ok(codebook.includes(',"locus_type":"gene with protein product"'), 'a field with a common value is one piece')
  const encoder = new RecordEncoder(codebook)
  const decoder = new RecordDecoder(JSON.parse(JSON.stringify(codebook)) as string[])
  for (const raw of RAWS) {
    const stored = encoder.encode(raw)
    t.ok(stored.length < raw.length / 2, `${stored.length} < ${raw.length} / 2`)
    t.equal(decoder.decode(stored), raw)
  }
})

t.test('odd records: what the sample never saw, whitespace, escapes, non-ASCII, code characters', async (t) => {
  const codebook = buildCodebook(docs)
  const encoder = new RecordEncoder(codebook)
  const decoder = new RecordDecoder(codebook)
  const odd = [
    '{"hgnc_id":"HGNC:1","symbol":"X","new_field":{"nested":[1,2,{"status":"Approved"}]}}',
    '{ "hgnc_id" : "HGNC:2",\n\t"symbol": "Y", "status":"Approved" }\r\n',
    '{"hgnc_id":"HGNC:3","symbol":"Z","name":"a \\"quoted\\" \\u0001 name \\\\","locus_type":"gene with protein product"}',
    '{"hgnc_id":"HGNC:4","symbol":"Ω","name":"β-globin 🧬 ümlaut","_version_":17615993726461542429999}',
    'not JSON at all: \x01\x1f ~ \x00 ,"status":"Approved"',
    '',
    '\x00starts with the verbatim mark'
  ]
  for (const raw of odd) t.equal(decoder.decode(encoder.encode(raw)), raw, JSON.stringify(raw.slice(0, 40)))
})

t.test('an empty codebook stores records as they are', async (t) => {
  t.same(buildCodebook([]), [])
  const encoder = new RecordEncoder([])
  t.equal(encoder.encode(RAWS[0] as string), RAWS[0])
  t.equal(new RecordDecoder([]).decode(RAWS[0] as string), RAWS[0])
})

t.test('a codebook from many records uses every code, one- and two-character, and still round-trips', async (t) => {
  const many = Array.from({ length: 300 }, (_, i) => ({
    hgnc_id: `HGNC:${i + 1}`,
    symbol: `S${i % 150}`,
    [`field_${i % 140}`]: `value ${i % 140}`,
    status: i % 2 === 0 ? 'Approved' : 'Entry Withdrawn'
  }) as HgncDoc)
  const codebook = buildCodebook(many)
  t.equal(codebook.length, CODEBOOK_SIZE)
  const encoder = new RecordEncoder(codebook)
  const decoder = new RecordDecoder(codebook)
  for (const doc of many) {
    const raw = JSON.stringify(doc)
    t.equal(decoder.decode(encoder.encode(raw)), raw)
  }
})
