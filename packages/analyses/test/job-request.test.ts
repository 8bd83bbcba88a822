import t from 'tap'
import { FETCH_FIELDS } from '@genejobs/jobs-core'
import { ANALYSES, ANALYSIS_NAMES, chromosomes, JobRequestBody, parseJobParams, symbolCheck, validateJobRequest } from '../src/index.js'

const RANGE_ANALYSES = ['approval-timeline', 'locus-types', 'chromosomes'] as const

/** The message `validateJobRequest` throws for `body` (fails the test when it does not throw). */
function messageFor (body: unknown): string {
  try {
    validateJobRequest(body)
  } catch (err) {
    if ((err as { code?: string }).code !== 'INVALID_JOB') throw err
    return (err as Error).message
  }
  throw new Error(`accepted: ${JSON.stringify(body).slice(0, 200)}`)
}

t.test('the analyses', async (t) => {
  t.same(ANALYSIS_NAMES, ['approval-timeline', 'locus-types', 'chromosomes', 'symbol-check', 'id-mapping'])
  t.same((JobRequestBody as unknown as { oneOf: Array<{ properties: { analysis: { const: string } } }> }).oneOf.map((schema) => schema.properties.analysis.const), ANALYSIS_NAMES, 'POST /jobs names them all, one schema each')
  t.same(ANALYSES.map((analysis) => analysis.request.properties.analysis.const), ANALYSIS_NAMES, 'each request schema names its analysis')
  t.equal(messageFor({ analysis: 'gene-count' }), 'body/analysis must be one of: "approval-timeline", "locus-types", "chromosomes", "symbol-check", "id-mapping"')
  for (const analysis of ANALYSES) {
    const [example] = (analysis.request as { examples?: unknown[] }).examples ?? []
    t.ok(example, `${analysis.name} has an example request`)
    t.equal(validateJobRequest(example).analysis, analysis.name, `the ${analysis.name} example is a valid request`)
  }
  t.equal(messageFor([]), 'body must be a JSON object')
  t.equal(messageFor(null), 'body must be a JSON object')
})

for (const analysis of RANGE_ANALYSES) {
  t.test(`${analysis}: a range of HGNC ids and optional filters`, async (t) => {
    t.same(validateJobRequest({ analysis, hgnc_id_start: 5, hgnc_id_end: 'hgnc:1100', locus_group: 'pseudogene', status: 'Approved', chromosome: 'X' }), {
      analysis, hgnc_id_start: 'HGNC:5', hgnc_id_end: 'HGNC:1100', locus_group: 'pseudogene', status: 'Approved', chromosome: 'X'
    }, 'ids normalised to HGNC:<n>')
    t.same(validateJobRequest({ analysis, hgnc_id_start: '7', hgnc_id_end: '7' }), { analysis, hgnc_id_start: 'HGNC:7', hgnc_id_end: 'HGNC:7' }, 'a one-id range')
    t.equal(messageFor({ analysis, hgnc_id_start: 'HGNC:9', hgnc_id_end: 'HGNC:1' }), 'body/hgnc_id_end must not be below body/hgnc_id_start (got HGNC:9 > HGNC:1)')
    t.equal(messageFor({ analysis, hgnc_id_end: 'HGNC:1' }), 'body/hgnc_id_start is required: first HGNC id of the range, HGNC:<n> or <n>')
    t.equal(messageFor({ analysis, hgnc_id_start: 'GENE:1', hgnc_id_end: 'HGNC:1' }), 'body/hgnc_id_start must be first HGNC id of the range, HGNC:<n> or <n>')
    t.equal(messageFor({ analysis, hgnc_id_start: 1, hgnc_id_end: 2, chromosome: '23' }), 'body/chromosome must be one of: ' + [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'].map((c) => JSON.stringify(c)).join(', '))
    t.equal(messageFor({ analysis, hgnc_id_start: 1, hgnc_id_end: 2, symbols: ['BRCA1'] }), `body/symbols is not a parameter of ${analysis}: the parameters are analysis, hgnc_id_start, hgnc_id_end, locus_group, status, chromosome`)
  })
}

t.test('approval-timeline is the default analysis', async (t) => {
  t.same(validateJobRequest({ hgnc_id_start: 1, hgnc_id_end: 2 }), { analysis: 'approval-timeline', hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:2' })
  t.equal(messageFor({ hgnc_id_start: 1, hgnc_id_end: 2, symbols: ['BRCA1'] }), 'body/symbols is not a parameter of approval-timeline: the parameters are analysis, hgnc_id_start, hgnc_id_end, locus_group, status, chromosome')
})

t.test('symbol-check: 1 to 200000 symbols (the upload limit) of 1 to 64 printable characters, nothing else', async (t) => {
  const request = validateJobRequest({ analysis: 'symbol-check', symbols: ['BRCA1', 'brca1', 'S863-7', 'HLA-DRB1*01', 'x'.repeat(64)] })
  t.same(request, { analysis: 'symbol-check', symbols: ['BRCA1', 'brca1', 'S863-7', 'HLA-DRB1*01', 'x'.repeat(64)] }, 'kept as given: case and order')
  t.notOk('hgnc_id_start' in request)
  t.ok('hgnc_id_start' in validateJobRequest({ analysis: 'chromosomes', hgnc_id_start: 1, hgnc_id_end: 2 }))
  t.equal(validateJobRequest({ analysis: 'symbol-check', symbols: Array.from({ length: 200_000 }, (_, i) => `S${i}`) }).analysis, 'symbol-check', '200000 symbols are accepted')
  const rule = 'a symbol of 1 to 64 printable ASCII characters without spaces'
  t.equal(messageFor({ analysis: 'symbol-check' }), 'body/symbols is required: an array of 1 to 200000 symbols to check (approved, previous, alias or withdrawn; any case), each 1 to 64 printable ASCII characters without spaces')
  t.equal(messageFor({ analysis: 'symbol-check', symbols: [] }), 'body/symbols must have at least 1 item')
  t.equal(messageFor({ analysis: 'symbol-check', symbols: Array.from({ length: 200_001 }, () => 'A') }), 'body/symbols must have at most 200000 items')
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['A', 'B', 'C', 'D E'] }), `body/symbols/3 must be ${rule}`)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['A', ''] }), `body/symbols/1 must be ${rule}`)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['x'.repeat(65)] }), `body/symbols/0 must be ${rule}`)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['A', 7] }), `body/symbols/1 must be ${rule}`)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['tab\there'] }), `body/symbols/0 must be ${rule}`)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['BRCA1\n'] }), `body/symbols/0 must be ${rule}`)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['Ωmega'] }), `body/symbols/0 must be ${rule}`)
  t.match(messageFor({ analysis: 'symbol-check', symbols: 'BRCA1' }), /^body\/symbols must be an array of 1 to 200000 symbols/)
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['BRCA1'], hgnc_id_start: 1 }), 'body/hgnc_id_start is not a parameter of symbol-check: the parameters are analysis, symbols')
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['BRCA1'], chromosome: '1' }), 'body/chromosome is not a parameter of symbol-check: the parameters are analysis, symbols')
})

t.test('the worker re-checks stored parameters with the same rules, naming them params/<field>', async (t) => {
  t.same(parseJobParams(chromosomes, { hgnc_id_start: 5, hgnc_id_end: 'hgnc:1100' }), { analysis: 'chromosomes', hgnc_id_start: 'HGNC:5', hgnc_id_end: 'HGNC:1100' }, 'normalised as POST /jobs does')
  t.throws(() => parseJobParams(chromosomes, { hgnc_id_start: 'HGNC:9', hgnc_id_end: 'HGNC:1' }),
    { code: 'UNRECOVERABLE', message: 'invalid parameters: params/hgnc_id_end must not be below params/hgnc_id_start (got HGNC:9 > HGNC:1)' })
  t.throws(() => parseJobParams(chromosomes, { hgnc_id_start: 1, hgnc_id_end: 2, colour: 'red' }),
    { code: 'UNRECOVERABLE', message: 'invalid parameters: params/colour is not a parameter of chromosomes: the parameters are analysis, hgnc_id_start, hgnc_id_end, locus_group, status, chromosome' })
  t.throws(() => parseJobParams(symbolCheck, { symbols: Array.from({ length: 200_001 }, () => 'A') }),
    { code: 'UNRECOVERABLE', message: 'invalid parameters: params/symbols must have at most 200000 items' })
  t.throws(() => parseJobParams(symbolCheck, { symbols: ['A B'] }), { message: /^invalid parameters: params\/symbols\/0 must be a symbol/ })
  t.equal(messageFor({ analysis: 'symbol-check', symbols: ['A B'] }).startsWith('body/symbols/0 must be'), true, 'the same message, as body/ for POST /jobs')
})

t.test('id-mapping: from is a fetch field, ids 1 to 200,000 non-blank strings', async (t) => {
  const ok = validateJobRequest({ analysis: 'id-mapping', from: 'ensembl_gene_id', ids: ['ENSG00000012048', 'x'.repeat(100), 'a b'] })
  t.same(ok, { analysis: 'id-mapping', from: 'ensembl_gene_id', ids: ['ENSG00000012048', 'x'.repeat(100), 'a b'] }, 'kept as given')
  t.equal(validateJobRequest({ analysis: 'id-mapping', from: 'symbol', ids: Array.from({ length: 200_000 }, (_, i) => `S${i}`) }).analysis, 'id-mapping', '200,000 ids are accepted')
  const rule = 'an id of 1 to 100 characters, not blank, without control characters'
  t.equal(messageFor({ analysis: 'id-mapping', from: 'gene_name', ids: ['A'] }), `body/from must be one of: ${FETCH_FIELDS.map((field) => JSON.stringify(field)).join(', ')}`, 'an unknown field: the fields are listed')
  t.equal(messageFor({ analysis: 'id-mapping', ids: ['A'] }), 'body/from is required: the field the ids are values of, one of the fields GET /fetch lists')
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol' }), 'body/ids is required: an array of 1 to 200000 ids (values of the field `from`; any case), each 1 to 100 characters')
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: [] }), 'body/ids must have at least 1 item')
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: Array.from({ length: 200_001 }, () => 'A') }), 'body/ids must have at most 200000 items')
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: ['A', ''] }), `body/ids/1 must be ${rule}`)
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: ['A', 'B', '   '] }), `body/ids/2 must be ${rule}`)
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: ['x'.repeat(101)] }), `body/ids/0 must be ${rule}`)
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: ['tab\there'] }), `body/ids/0 must be ${rule}`)
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: ['A', 7] }), `body/ids/1 must be ${rule}`)
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: ['A'], symbols: ['B'] }), 'body/symbols is not a parameter of id-mapping: the parameters are analysis, from, ids')
  t.equal(messageFor({ analysis: 'id-mapping', from: 'symbol', ids: [' '.repeat(1_000_000)] }), `body/ids/0 must be ${rule}`, 'a huge blank id is refused quickly')
})
