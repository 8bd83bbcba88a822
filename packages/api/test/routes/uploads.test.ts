import t from 'tap'
import { gzipSync } from 'node:zlib'
import { buildTestApp } from '../helper.js'

const { app, redis } = await buildTestApp(t, { ENABLE_TEST_ANALYSES: 'true' })
await app.inject({ method: 'POST', url: '/data' })

/** A file's content as a Blob part. */
const blobPart = (content: string | Buffer): BlobPart => typeof content === 'string' ? content : new Uint8Array(content)

/** One file part: its bytes, name and declared type. */
interface FilePart { name?: string, content: string | Buffer, filename?: string, type?: string }

/** Posts a `multipart/form-data` job: the fields in order, then the file parts (as curl -F sends them). */
async function upload (fields: Record<string, string>, ...files: FilePart[]) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  for (const file of files) {
    form.append(file.name ?? 'file', new Blob([blobPart(file.content)], { type: file.type ?? 'text/plain' }), file.filename ?? 'genes.txt')
  }
  const encoded = new Response(form)
  const payload = Buffer.from(await encoded.arrayBuffer())
  return await app.inject({ method: 'POST', url: '/jobs', payload, headers: { 'content-type': encoded.headers.get('content-type') as string } })
}

/** Claims the job as a worker would and returns the parameters it runs with. */
async function inputOf (id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const claimed = await app.jobs.claim('upload-test-worker', 10)
    const job = claimed.find((one) => one.id === id)
    if (job !== undefined) return job.input ?? job.params
    if (claimed.length === 0) throw new Error(`job ${id} was not in the queue`)
  }
}

const SYMBOLS = ['BRCA1', 'rnf53', 'A2MP', 'nope']

// Every accepted form: [why, fields, file, the identifiers read, the upload summary beyond them]
const formats: Array<[string, Record<string, string>, FilePart, string[], Record<string, unknown>]> = [
  ['plain text, one per line (blank lines, CRLF and a BOM skipped)', {}, { content: `\ufeff${SYMBOLS.join('\r\n')}\r\n\r\n` }, SYMBOLS, { format: 'text', header: false, column: 1, gzip: false }],
  ['CSV with a header, column by name', { column: 'Gene' }, { content: 'Score,Gene\n1,BRCA1\n2,A2M\n', filename: 'genes.csv', type: 'text/csv' }, ['BRCA1', 'A2M'], { format: 'csv', header: true, column: 'Gene', gzip: false }],
  ['CSV without a header, column by index', { column: '2' }, { content: 'x,BRCA1\ny,A2M\n', filename: 'genes.csv', type: 'text/csv' }, ['BRCA1', 'A2M'], { format: 'csv', header: false, column: 2, gzip: false }],
  ['CSV whose header is recognised without a column', {}, { content: 'symbol,n\nBRCA1,1\nA2M,2\n', filename: 'genes.csv' }, ['BRCA1', 'A2M'], { format: 'csv', header: true, column: 'symbol', gzip: false }],
  ['header=false keeps a first row that looks like a title', { header: 'false' }, { content: 'symbol\nBRCA1\n' }, ['symbol', 'BRCA1'], { format: 'text', header: false, column: 1, gzip: false }],
  ['TSV, column by name, case-insensitively', { column: 'SYMBOL' }, { content: 'id\tsymbol\nHGNC:1100\tBRCA1\nHGNC:7\tA2M\n', filename: 'genes.tsv', type: 'text/tab-separated-values' }, ['BRCA1', 'A2M'], { format: 'tsv', header: true, column: 'symbol', gzip: false }],
  ['quoted cells: commas, doubled quotes and line breaks inside, short rows', { column: 'Gene symbol' },
    { content: '"Gene symbol","note"\n"BRCA1","breast, ovarian"\n"A2M","say ""hi"""\n"MT-ND1","two\nlines"\n\n"A2MP"\n', filename: 'genes.csv' },
    ['BRCA1', 'A2M', 'MT-ND1', 'A2MP'], { format: 'csv', header: true, column: 'Gene symbol', gzip: false }],
  ['gzipped text (told by its magic bytes, not its name or type)', {}, { content: gzipSync(SYMBOLS.join('\n')), filename: 'genes.txt.gz', type: 'application/octet-stream' }, SYMBOLS, { format: 'text', header: false, column: 1, gzip: true }],
  ['gzipped CSV, column by index', { column: '1' }, { content: gzipSync('BRCA1,x\nA2M,y\n'), filename: 'genes.csv.gz', type: 'application/gzip' }, ['BRCA1', 'A2M'], { format: 'csv', header: false, column: 1, gzip: true }]
]

t.test('each upload format: 201, params summarise the file, the worker gets every identifier', async (t) => {
  for (const [why, fields, file, ids, summary] of formats) {
    const res = await upload({ analysis: 'symbol-check', ...fields }, file)
    t.equal(res.statusCode, 201, `${why}: ${res.body}`)
    const job = res.json()
    const bytes = Buffer.byteLength(file.content)
    t.same(job.params, { upload: { file: file.filename ?? 'genes.txt', bytes, ...summary, identifiers: ids.length, list: 'symbols' } }, why)
    t.same((await app.inject({ url: `/jobs/${job.id as string}` })).json(), job, `${why}: GET /jobs/:id shows the summary, not the list`)
    t.same(await inputOf(job.id), { symbols: ids }, `${why}: the job's input`)
  }
})

t.test('an analysis declaring upload.fields gets those form fields copied; the route knows no analysis by name', async (t) => {
  const res = await upload({ tag: 'batch-7', analysis: 'test-upload' }, { content: 'a\nb\n' })
  t.equal(res.statusCode, 201, res.body)
  t.same(res.json().params, { tag: 'batch-7', upload: { file: 'genes.txt', bytes: 4, gzip: false, format: 'text', header: false, column: 1, identifiers: 2, list: 'ids' } })
  t.same(await inputOf(res.json().id), { ids: ['a', 'b'], tag: 'batch-7' })
})

t.test('200,000 identifiers are accepted', async (t) => {
  const ids = Array.from({ length: 200_000 }, (_, i) => `SYM${i}`)
  const res = await upload({ analysis: 'symbol-check' }, { content: gzipSync(ids.join('\n')), filename: 'big.txt.gz' })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.json().params.upload.identifiers, 200_000)
  const input = await inputOf(res.json().id)
  t.same(input['symbols'], ids)
})

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(32, 1)])
const padded = `${'BRCA1,'.padEnd(1000, 'x')}\n`
const overBytes = padded.repeat(Math.ceil((20 * 1024 * 1024 + 1) / padded.length))

// Every bad upload: [why, fields, files, status, message]
const bad: Array<[string, Record<string, string>, FilePart[], number, RegExp]> = [
  ['more than 200,000 identifiers', {}, [{ content: 'A\n'.repeat(200_001) }], 413, /^the file has more than 200,000 identifiers, the upload limit$/],
  ['a file over 20 MB', { column: '1' }, [{ content: overBytes, filename: 'big.csv' }], 413, /^the file is larger than the upload limit of 20 MB \(20,971,520 bytes\)$/],
  ['a gzip over 20 MB once decompressed', { column: '1' }, [{ content: gzipSync(overBytes), filename: 'bomb.csv.gz' }], 413, /^the file is larger than the upload limit of 20 MB \(20,971,520 bytes\) once decompressed$/],
  ['a PNG image', {}, [{ content: png, type: 'application/octet-stream', filename: 'genes.png' }], 415, /^the file is a PNG image, which is not supported: send plain text/],
  ['a declared image type', {}, [{ content: 'BRCA1\n', type: 'image/png' }], 415, /^the file's Content-Type "image\/png" is not supported/],
  ['an .xlsx (ZIP) inside gzip', {}, [{ content: gzipSync(Buffer.from('PK\x03\x04rest', 'latin1')) }], 415, /^the file is a ZIP archive \(an \.xlsx or \.zip file\) \(inside gzip\)/],
  ['an unknown column name', { column: 'Symbol' }, [{ content: 'Gene,Score\nBRCA1,1\n' }], 400, /^column "Symbol" is not in the file's header; the header names are "Gene", "Score"$/],
  ['a column past the last', { column: '3' }, [{ content: 'BRCA1,1\n' }], 400, /^column 3 is past the file's last column: its first row has 2 columns$/],
  ['column 0', { column: '0' }, [{ content: 'BRCA1\n' }], 400, /^column must be a header name or a column number from 1$/],
  ['an empty file', {}, [{ content: '' }], 400, /^the file is empty/],
  ['only blank lines', {}, [{ content: '\n\n  \n' }], 400, /^the file has no identifiers in column 1$/],
  ['only a header', { column: 'Gene' }, [{ content: 'Gene\n' }], 400, /^the file has no identifiers under its header in column "Gene"$/],
  ['a binary file (NUL bytes)', {}, [{ content: Buffer.from([0x42, 0x00, 0x01, 0x02]), type: 'application/octet-stream' }], 400, /^the file is binary \(not UTF-8 text\)/],
  ['bytes that are not UTF-8', {}, [{ content: Buffer.from([0x42, 0xff, 0xfe, 0x0a]) }], 400, /^the file is binary \(not UTF-8 text\)/],
  ['a corrupt gzip', {}, [{ content: Buffer.concat([gzipSync('BRCA1\n').subarray(0, 12), Buffer.from('garbage')]) }], 400, /^the file starts like gzip but is not valid gzip/],
  ['an unclosed quote', {}, [{ content: 'Gene,n\n"BRCA1,1\n' }], 400, /^the file is not valid CSV: /],
  ['two file parts', {}, [{ content: 'BRCA1\n' }, { content: 'A2M\n' }], 400, /^the form has more than one file part: send one file$/],
  ['a file part not named file', {}, [{ name: 'upload', content: 'BRCA1\n' }], 400, /^the file part must be named file, not "upload"$/],
  ['no file part', {}, [], 400, /^the form has no file part/],
  ['column after the file', {}, [{ content: 'BRCA1\n' }], 400, /^form field column must come before the file part/],
  ['an analysis without uploads', { analysis: 'approval-timeline' }, [{ content: 'BRCA1\n' }], 400, /^body\/analysis "approval-timeline" does not take a file upload; the analyses that do: "symbol-check", "id-mapping", "test-upload"$/],
  ['no analysis', {}, [{ content: 'BRCA1\n' }], 400, /^body\/analysis is required for an upload: one of "symbol-check", "id-mapping", "test-upload"$/],
  ['an unknown analysis', { analysis: 'magic' }, [{ content: 'BRCA1\n' }], 400, /^body\/analysis must be one of: "approval-timeline", /],
  ['an unknown form field', { colour: 'red' }, [{ content: 'BRCA1\n' }], 400, /^form field "colour" is not accepted: send analysis, column, header, from, tag and one file part named file$/],
  ["another analysis's field", { tag: 'x' }, [{ content: 'BRCA1\n' }], 400, /^form field tag is not a field of symbol-check uploads/],
  ['header not a boolean', { header: 'maybe' }, [{ content: 'BRCA1\n' }], 400, /^body\/header must be true or false/],
  ['a symbol the analysis refuses: the JSON message', {}, [{ content: `BRCA1\n${'B'.repeat(65)}\n` }], 400, /^body\/symbols\/1 must be a symbol of 1 to 64 printable ASCII characters without spaces$/]
]

t.test('every bad upload: its status and why, and nothing stored (no job, queue and job list unchanged)', async (t) => {
  const before = { snapshot: await redis.snapshot(), depth: await app.jobs.depth(), jobs: await app.jobs.list() }
  for (const [why, fields, files, status, message] of bad) {
    const form: Record<string, string> = why === 'no analysis' ? {} : { analysis: 'symbol-check', ...fields }
    const res = why === 'column after the file'
      ? await uploadThenField(files[0] as FilePart, 'column', '1')
      : await upload(form, ...files)
    t.equal(res.statusCode, status, `${why}: ${res.body.slice(0, 300)}`)
    t.same(Object.keys(res.json()), ['statusCode', 'error', 'message'], `${why}: the one error shape`)
    t.equal(res.json().statusCode, status, why)
    t.match(res.json().message, message, why)
  }
  t.equal(await app.jobs.depth(), before.depth, 'queue depth unchanged')
  t.same(await app.jobs.list(), before.jobs, 'job list unchanged')
  t.same(await redis.snapshot(), before.snapshot, 'Redis unchanged')
})

/** The analysis and file first, then one more field. */
async function uploadThenField (file: FilePart, name: string, value: string) {
  const form = new FormData()
  form.append('analysis', 'symbol-check')
  form.append('file', new Blob([blobPart(file.content)]), 'genes.txt')
  form.append(name, value)
  const encoded = new Response(form)
  return await app.inject({ method: 'POST', url: '/jobs', payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type') as string } })
}

t.test('other request types: 415 saying what POST /jobs takes; other routes take no multipart', async (t) => {
  const before = await redis.snapshot()
  const text = await app.inject({ method: 'POST', url: '/jobs', payload: 'BRCA1\n', headers: { 'content-type': 'text/plain' } })
  t.equal(text.statusCode, 415)
  t.same(text.json(), { statusCode: 415, error: 'Unsupported Media Type', message: 'Content-Type "text/plain" is not supported: send application/json, or multipart/form-data to upload a file' })
  const form = new FormData()
  form.append('file', new Blob(['BRCA1']), 'x.txt')
  const encoded = new Response(form)
  const data = await app.inject({ method: 'POST', url: '/data', payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type') as string } })
  t.equal(data.statusCode, 415)
  t.match(data.json().message, /is not supported: send application\/json$/)
  t.same(await redis.snapshot(), before)
})
