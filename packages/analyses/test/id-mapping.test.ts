import t from 'tap'
import { fixtureGenes, ID_MAPPING_FIXTURE, loadedGenes, recordingContext, type FixtureGene } from '@genejobs/test-support'
import { idMapping, runAnalysis } from '../src/index.js'
import { successorsOf } from '../src/shared/withdrawn-notes.js'

const { genes } = await loadedGenes(t, ID_MAPPING_FIXTURE)

const byId = new Map(fixtureGenes(ID_MAPPING_FIXTURE).map((gene) => [gene.hgnc_id, gene]))
/** The row an input gets for one gene, built from the fixture file itself. */
const row = (input: string, match: string, hgncId?: string) => {
  const gene = hgncId === undefined ? undefined : byId.get(hgncId) as FixtureGene
  return { input, match, hgnc_id: gene?.hgnc_id ?? '', symbol: gene?.symbol ?? '', name: gene?.name ?? '', status: gene?.status ?? '', location: gene?.location ?? '' }
}
const map = async (from: string, ids: string[]) => await runAnalysis(idMapping, { from, ids }, recordingContext(genes))

t.test('symbols: every match kind, in input order, ignoring case', async (t) => {
  const inputs = ['BRCA1', 'brca1', ' c1ORF112 ', 'MIC2', 'TDF', 'rnf53', 'OLDBRCA', 'MERGEDX', 'CHAINW', 'RENAMEDW', 'A12M2', 'LOOPA', 'GONEW', 'NOSUCHGENE']
  const result = await map('symbol', inputs)
  t.same(result.rows, [
    row('BRCA1', 'approved', 'HGNC:1100'),
    row('brca1', 'approved', 'HGNC:1100'),
    row(' c1ORF112 ', 'approved', 'HGNC:25565'),
    row('MIC2', 'previous', 'HGNC:7082'),
    row('TDF', 'alias', 'HGNC:11311'),
    row('rnf53', 'alias', 'HGNC:1100'),
    row('OLDBRCA', 'withdrawn-merged', 'HGNC:1100'),
    row('MERGEDX', 'withdrawn-merged', 'HGNC:7082'),
    row('CHAINW', 'withdrawn-merged', 'HGNC:1100'),
    row('RENAMEDW', 'withdrawn-merged', 'HGNC:7082'),
    row('A12M2', 'withdrawn', 'HGNC:2'),
    row('LOOPA', 'withdrawn', 'HGNC:60006'),
    row('GONEW', 'withdrawn', 'HGNC:60008'),
    row('NOSUCHGENE', 'not-found')
  ], 'MIC2 is a previous symbol of CD99 before an alias of SRY; TDF an alias before a withdrawn entry; notes followed by id, by symbol, through another withdrawn entry and a renamed symbol; a loop or a note naming nothing leaves the entry itself')
  t.same(result.summary, {
    from: 'symbol',
    inputs: 14,
    unique_inputs: 13,
    mapped: 10,
    ambiguous: 0,
    not_found: 1,
    by_match: { approved: 3, previous: 1, alias: 2, 'withdrawn-merged': 4, withdrawn: 3, ambiguous: 0, 'not-found': 1 }
  })
  t.equal(result.rows[6]?.['symbol'], 'BRCA1', 'the row shows the current gene, not the withdrawn entry')
})

t.test('ambiguous inputs list every candidate, one row each', async (t) => {
  const result = await map('symbol', ['DUAL1', 'OLDAB', 'SPLITW', 'BRCA1'])
  t.same(result.rows, [
    row('DUAL1', 'ambiguous', 'HGNC:50002'),
    row('DUAL1', 'ambiguous', 'HGNC:50003'),
    row('OLDAB', 'ambiguous', 'HGNC:50010'),
    row('OLDAB', 'ambiguous', 'HGNC:50011'),
    row('SPLITW', 'ambiguous', 'HGNC:11311'),
    row('SPLITW', 'ambiguous', 'HGNC:1101'),
    row('BRCA1', 'approved', 'HGNC:1100')
  ], 'two aliases, two previous symbols, a withdrawn symbol split in two')
  t.same(result.summary['by_match'], { approved: 1, previous: 0, alias: 0, 'withdrawn-merged': 0, withdrawn: 0, ambiguous: 3, 'not-found': 0 })
  t.same([result.summary['mapped'], result.summary['ambiguous']], [1, 3])
})

t.test('cross-reference fields: exact, case-insensitive, named as the match', async (t) => {
  const ensembl = await map('ensembl_gene_id', ['ENSG00000012048', 'ensg00000002586', 'ENSG00000999999', 'ENSG00000000000'])
  t.same(ensembl.rows, [
    row('ENSG00000012048', 'ensembl_gene_id', 'HGNC:1100'),
    row('ensg00000002586', 'ensembl_gene_id', 'HGNC:7082'),
    row('ENSG00000999999', 'ambiguous', 'HGNC:50010'),
    row('ENSG00000999999', 'ambiguous', 'HGNC:50011'),
    row('ENSG00000000000', 'not-found')
  ])
  t.same(ensembl.summary['by_match'], { ensembl_gene_id: 2, 'withdrawn-merged': 0, withdrawn: 0, ambiguous: 1, 'not-found': 1 }, 'only the kinds a field can have')
  t.same((await map('entrez_id', ['672', '4267'])).rows, [row('672', 'entrez_id', 'HGNC:1100'), row('4267', 'entrez_id', 'HGNC:7082')])
  t.same((await map('uniprot_ids', ['p38398'])).rows, [row('p38398', 'uniprot_ids', 'HGNC:1100')], 'any element of a list field')
  t.same((await map('prev_symbol', ['MIC2', 'TDF'])).rows, [row('MIC2', 'prev_symbol', 'HGNC:7082'), row('TDF', 'not-found')], 'prev_symbol looks at previous symbols only')
})

t.test('hgnc_id: any spelling; a withdrawn id follows its note', async (t) => {
  const result = await map('hgnc_id', ['HGNC:1100', 'hgnc:7082', '11311', 'HGNC:60001', 'HGNC:2', 'HGNC:99999'])
  t.same(result.rows, [
    row('HGNC:1100', 'hgnc_id', 'HGNC:1100'),
    row('hgnc:7082', 'hgnc_id', 'HGNC:7082'),
    row('11311', 'hgnc_id', 'HGNC:11311'),
    row('HGNC:60001', 'withdrawn-merged', 'HGNC:1100'),
    row('HGNC:2', 'withdrawn', 'HGNC:2'),
    row('HGNC:99999', 'not-found')
  ])
})

t.test('progress rises to 100', async (t) => {
  const context = recordingContext(genes)
  await runAnalysis(idMapping, { from: 'symbol', ids: Array.from({ length: 25_000 }, (_, i) => `S${i}`) }, context)
  // Three batches (10,000, 10,000, 5,000) in flight together: progress as each finishes, in any order.
  t.equal(context.reports.length, 5, `three batches, then resolving, then done: ${context.reports.join(', ')}`)
  t.ok(context.reports.every((percent, i) => i === 0 || percent > (context.reports[i - 1] ?? 0)), 'rising')
  t.same(context.reports.slice(-3), [60, 80, 100], 'look-ups end at 60, resolving at 80, done at 100')
})

t.test('the chart: inputs per match kind, every kind on the axis', async (t) => {
  const result = await map('symbol', ['BRCA1', 'brca1', 'TDF', 'zzz'])
  const chart = result.chart as Record<string, any>
  t.same(chart['data'].values, [
    { match: 'approved', inputs: 2 }, { match: 'previous', inputs: 0 }, { match: 'alias', inputs: 1 }, { match: 'withdrawn-merged', inputs: 0 },
    { match: 'withdrawn', inputs: 0 }, { match: 'ambiguous', inputs: 0 }, { match: 'not-found', inputs: 1 }
  ])
  t.match(chart['title'], { text: 'ID mapping: symbol to current HGNC genes', subtitle: '4 inputs (3 unique, ignoring case)' })
  t.same(idMapping.columns?.map((column) => column.field), ['input', 'match', 'hgnc_id', 'symbol', 'name', 'status', 'location'])
})

t.test('the notes of withdrawn entries', async (t) => {
  t.same(successorsOf('symbol withdrawn, see [HGNC:1100]'), [{ hgncId: 1100 }])
  t.same(successorsOf('symbol withdrawn, see BRCA1'), [{ symbol: 'BRCA1' }])
  t.same(successorsOf('Symbol Withdrawn, see hgnc:5 and A2M~withdrawn.'), [{ hgncId: 5 }, { symbol: 'A2M' }])
  t.same(successorsOf('entry withdrawn, merged into CD99; SRY | [HGNC:7]'), [{ symbol: 'CD99' }, { symbol: 'SRY' }, { hgncId: 7 }])
  t.same(successorsOf('entry withdrawn'), [])
  t.same(successorsOf(''), [])
})
