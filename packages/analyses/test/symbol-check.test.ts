import t from 'tap'
import { fixtureGenes, loadedGenes, recordingContext, type FixtureGene } from '@genejobs/test-support'
import { parseJobParams, runAnalysis, symbolCheck } from '../src/index.js'

const { genes } = await loadedGenes(t)

const row = (input: string, match: string, gene?: FixtureGene) => ({
  input,
  match_type: match,
  approved_symbol: gene?.symbol ?? '',
  approved_name: gene?.name ?? '',
  hgnc_id: gene?.hgnc_id ?? '',
  location: gene?.location ?? ''
})
const bySymbol = new Map(fixtureGenes().map((gene) => [gene.symbol, gene]))
const gene = (symbol: string) => bySymbol.get(symbol) as FixtureGene

/** The checker's answer computed straight from the fixture file: every candidate, best first. */
function expectedRows (input: string) {
  const key = input.toLowerCase()
  const candidates: Array<{ rank: number, order: number, match: string, gene: FixtureGene }> = []
  fixtureGenes().forEach((g, order) => {
    const withdrawn = g.status === 'Entry Withdrawn'
    if (g.symbol.toLowerCase() === key) candidates.push({ rank: withdrawn ? 3 : 0, order, match: withdrawn ? 'withdrawn' : 'approved', gene: g })
    if ((g.prev_symbol ?? []).some((s) => s.toLowerCase() === key)) candidates.push({ rank: 1, order, match: 'previous', gene: g })
    if ((g.alias_symbol ?? []).some((s) => s.toLowerCase() === key)) candidates.push({ rank: 2, order, match: 'alias', gene: g })
  })
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order)
  return candidates.length === 0 ? [row(input, 'unmatched')] : candidates.map((c) => row(input, c.match, c.gene))
}

t.test('every match type, in input order', async (t) => {
  const inputs = ['BRCA1', 'MIC2', 'TDF', 'A12M2', 'NOSUCHGENE']
  const result = await runAnalysis(symbolCheck, { symbols: inputs }, recordingContext(genes))
  t.same(result.rows, [
    row('BRCA1', 'approved', gene('BRCA1')),
    row('MIC2', 'previous', gene('CD99')),
    row('TDF', 'alias', gene('SRY')),
    row('A12M2', 'withdrawn', gene('A12M2')),
    row('NOSUCHGENE', 'unmatched')
  ])
  t.same(result.rows[4], { input: 'NOSUCHGENE', match_type: 'unmatched', approved_symbol: '', approved_name: '', hgnc_id: '', location: '' }, 'unmatched: empty columns')
  t.same(result.summary, {
    inputs: 5,
    unique_inputs: 5,
    matched: 4,
    ambiguous: 0,
    by_match_type: { approved: 1, previous: 1, alias: 1, withdrawn: 1, unmatched: 1 }
  })
})

t.test('matching ignores case; the input is reported as given', async (t) => {
  const inputs = ['brca1', 'Brca1', 'c1ORF112', 'C1orf112', 'mic2', 'tdf', 'mt-nd1', 's863-7']
  const result = await runAnalysis(symbolCheck, { symbols: inputs }, recordingContext(genes))
  t.same(result.rows.map((r) => [r['input'], r['match_type'], r['approved_symbol']]), [
    ['brca1', 'approved', 'BRCA1'],
    ['Brca1', 'approved', 'BRCA1'],
    ['c1ORF112', 'approved', 'C1orf112'],
    ['C1orf112', 'approved', 'C1orf112'],
    ['mic2', 'previous', 'CD99'],
    ['tdf', 'alias', 'SRY'],
    ['mt-nd1', 'approved', 'MT-ND1'],
    ['s863-7', 'alias', 'A2M']
  ])
  t.equal(result.summary['unique_inputs'], 6, 'unique inputs are counted ignoring case')
})

t.test('duplicates are reported each time, in input order', async (t) => {
  const result = await runAnalysis(symbolCheck, { symbols: ['A2M', 'BRCA1', 'A2M', 'nope', 'nope'] }, recordingContext(genes))
  t.same(result.rows.map((r) => [r['input'], r['match_type']]), [['A2M', 'approved'], ['BRCA1', 'approved'], ['A2M', 'approved'], ['nope', 'unmatched'], ['nope', 'unmatched']])
  t.same(result.summary['by_match_type'], { approved: 3, previous: 0, alias: 0, withdrawn: 0, unmatched: 2 })
  t.same([result.summary['inputs'], result.summary['unique_inputs']], [5, 3])
})

t.test('an input naming several genes lists every candidate, best match first', async (t) => {
  const inputs = ['DUAL1', 'CAD', 'A2MP', 'A12M1', 'IRG1']
  const result = await runAnalysis(symbolCheck, { symbols: inputs }, recordingContext(genes))
  t.same(result.rows, [
    row('DUAL1', 'alias', gene('MIR1A')),
    row('DUAL1', 'alias', gene('MIR2B')),
    row('CAD', 'approved', gene('CAD')),
    row('CAD', 'alias', gene('ACOD1')),
    row('A2MP', 'previous', gene('A2MP1')),
    row('A2MP', 'alias', gene('SHARED1')),
    row('A12M1', 'alias', gene('SHARED1')),
    row('A12M1', 'withdrawn', gene('A12M1')),
    row('IRG1', 'previous', gene('ACOD1')),
    row('IRG1', 'alias', gene('ACOD1'))
  ], 'approved before previous before alias before withdrawn')
  t.same(result.summary, {
    inputs: 5,
    unique_inputs: 5,
    matched: 5,
    ambiguous: 4,
    by_match_type: { approved: 1, previous: 2, alias: 2, withdrawn: 0, unmatched: 0 }
  }, 'counted by best match; IRG1 names one gene twice, so it is not ambiguous')
})

t.test('every fixture symbol, previous symbol and alias, in several cases, against an independent check', async (t) => {
  const names = new Set<string>()
  for (const g of fixtureGenes()) for (const name of [g.symbol, ...(g.prev_symbol ?? []), ...(g.alias_symbol ?? [])]) names.add(name)
  const inputs = [...names].flatMap((name) => [name, name.toLowerCase(), name.toUpperCase()]).concat(['X1', 'not-a-gene'])
  const result = await runAnalysis(symbolCheck, { symbols: inputs }, recordingContext(genes))
  t.same(result.rows, inputs.flatMap(expectedRows))
})

t.test('progress is reported per batch of 2000 distinct symbols (batches pipelined)', async (t) => {
  const inputs = Array.from({ length: 5999 }, (_, i) => `SYM${i}`).concat(['BRCA1', 'sym0'])
  const context = recordingContext(genes)
  const result = await runAnalysis(symbolCheck, { symbols: inputs }, context)
  t.same(context.reports, [31, 63, 95, 100], '6000 distinct symbols: 3 batches, then done')
  t.equal(result.summary['inputs'], 6001)
  t.equal(result.summary['unique_inputs'], 6000)
  t.equal(result.rows.length, 6001)
  t.same(result.rows.at(-1), row('sym0', 'unmatched'))
})

t.test('the chart: inputs per best match type, every type on the axis', async (t) => {
  const result = await runAnalysis(symbolCheck, { symbols: ['BRCA1', 'brca1', 'TDF', 'zzz'] }, recordingContext(genes))
  const chart = result.chart as Record<string, any>
  t.equal(chart['title'].text, 'Symbol check: inputs per match type')
  t.equal(chart['title'].subtitle, '4 inputs (3 unique, ignoring case)')
  t.same(chart['data'].values, [
    { match_type: 'approved', inputs: 2 },
    { match_type: 'previous', inputs: 0 },
    { match_type: 'alias', inputs: 1 },
    { match_type: 'withdrawn', inputs: 0 },
    { match_type: 'unmatched', inputs: 1 }
  ])
  t.equal(chart['encoding'].y.title, 'Inputs')
  t.match(chart['encoding'].x.title, /^Match type/)
})

t.test('bad stored parameters fail without retrying; so does a missing data set', async (t) => {
  t.throws(() => parseJobParams(symbolCheck, { symbols: [] }), { code: 'UNRECOVERABLE', message: 'invalid parameters: params/symbols must have at least 1 item' })
  t.throws(() => parseJobParams(symbolCheck, { symbols: ['BRCA1'], hgnc_id_start: 1 }), { code: 'UNRECOVERABLE', message: /^invalid parameters: params\/hgnc_id_start is not a parameter of symbol-check/ })
  const empty = await loadedGenes(t)
  await empty.genes.deleteAll()
  await t.rejects(runAnalysis(symbolCheck, { symbols: ['BRCA1'] }, recordingContext(empty.genes)), { code: 'UNRECOVERABLE', message: /no gene data is loaded/ })
})
