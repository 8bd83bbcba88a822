import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { approvalTimeline, chromosomes, idMapping, locusTypes, runAnalysis, symbolCheck } from '@genejobs/analyses'
import { loadedGenes, placeOf, realDataPath, recordingContext, type FixtureGene } from '@genejobs/test-support'
import { createResultRenderer, type RenderedJob } from '../src/render.js'
import { decodePng, readSvgChart } from './helpers.js'

// The real HGNC complete set (42,741 genes) lives beside the repository, never inside it.
const source = realDataPath('hgnc_complete_set.json.gz')
const missing = 'reason' in source ? source.reason : undefined
if (missing !== undefined) t.comment(`skipping real-data analysis tests: ${missing}`)

const ALL = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:999999999' }

/** Counts `key(gene)` over the real file, read directly (not through Redis or the analyses). */
function tally (docs: FixtureGene[], key: (gene: FixtureGene) => string | undefined): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const gene of docs) {
    const k = key(gene)
    if (k !== undefined) counts[k] = (counts[k] ?? 0) + 1
  }
  return counts
}

t.test('every analysis over the real HGNC set', { skip: missing ?? false }, async (t) => {
  if (!('path' in source)) return
  const docs = (JSON.parse(gunzipSync(await readFile(source.path)).toString('utf8')) as { response: { docs: FixtureGene[] } }).response.docs
  t.equal(docs.length, 42741)
  const { genes } = await loadedGenes(t, source.path)
  const render = createResultRenderer()
  const forms = async (analysis: RenderedJob['analysis'], result: Parameters<typeof render>[0]) => {
    const name = analysis.name
    const stored = await render(result, { id: 'real', analysis })
    const svg = readSvgChart(stored['svg'] as string)
    const png = decodePng(stored['png'] as Buffer)
    t.same([png.width, png.height], [svg.width, svg.height], `${name}: PNG ${png.width}x${png.height}`)
    return svg
  }

  t.test('chromosomes: chromosome 1 has the most genes; every gene is counted once', async (t) => {
    const result = await runAnalysis(chromosomes, ALL, recordingContext(genes))
    const summary = result.summary as { total: number, chromosome_with_most_genes: string, by_chromosome: Record<string, number>, off_chromosome: Record<string, number> }
    t.equal(summary.total, 42741)
    t.equal(summary.chromosome_with_most_genes, '1')
    const expected = tally(docs, (gene) => placeOf(gene.location))
    t.same({ ...summary.by_chromosome, ...summary.off_chromosome }, { ...Object.fromEntries(Object.keys(summary.by_chromosome).map((c) => [c, 0])), ...expected, 'no location': expected['no location'] ?? 0 })
    t.equal(summary.off_chromosome['reserved'], 71)
    t.equal(summary.by_chromosome['MT'], 58, 'the "mitochondria" genes')
    t.equal(Object.values(summary.by_chromosome).reduce((a, b) => a + b, 0) + Object.values(summary.off_chromosome).reduce((a, b) => a + b, 0), 42741)
    const svg = await forms(chromosomes, result)
    t.equal(svg.bars.length, result.rows.length)
  })

  t.test('locus-types: protein-coding genes are the most common type', async (t) => {
    const result = await runAnalysis(locusTypes, ALL, recordingContext(genes))
    t.same(result.summary['most_common_locus_type'], { locus_type: 'gene with protein product', count: tally(docs, (gene) => gene.locus_type)['gene with protein product'] })
    t.same(Object.fromEntries(result.rows.map((row) => [`${String(row['locus_group'])}|${String(row['locus_type'])}`, row['count']])), tally(docs, (gene) => `${gene.locus_group}|${gene.locus_type}`))
    const svg = await forms(locusTypes, result)
    t.equal(svg.bars.length, result.rows.length)
  })

  t.test('approval-timeline: per-year counts agree with the file', async (t) => {
    const result = await runAnalysis(approvalTimeline, ALL, recordingContext(genes))
    const perYear: Record<string, number> = {}
    for (const row of result.rows) perYear[String(row['year'])] = (perYear[String(row['year'])] ?? 0) + Number(row['count'])
    t.same(perYear, tally(docs, (gene) => gene.date_approved_reserved?.slice(0, 4)))
    t.equal(result.summary['undated'], docs.filter((gene) => gene.date_approved_reserved === undefined).length)
    const svg = await forms(approvalTimeline, result)
    t.equal(svg.bars.length, result.rows.length)
  })

  t.test('symbol-check: known symbols, and 5,000 approved symbols', async (t) => {
    const result = await runAnalysis(symbolCheck, { symbols: ['BRCA1', 'brca1', 'MLL', 'PAP', 'A12M1', 'CAD', 'NOT-A-GENE'] }, recordingContext(genes))
    const rows = result.rows.map((row) => [row['input'], row['match_type'], row['approved_symbol'], row['hgnc_id']])
    t.same(rows.slice(0, 3), [['BRCA1', 'approved', 'BRCA1', 'HGNC:1100'], ['brca1', 'approved', 'BRCA1', 'HGNC:1100'], ['MLL', 'previous', 'KMT2A', 'HGNC:7132']], 'BRCA1 is approved; MLL is the previous symbol of KMT2A')
    // Every candidate, computed straight from the file: case-insensitive, best match first.
    const expected = (input: string) => {
      const key = input.toLowerCase()
      const found: Array<[number, number, string, string, string]> = []
      docs.forEach((gene, order) => {
        const withdrawn = gene.status === 'Entry Withdrawn'
        if (gene.symbol.toLowerCase() === key) found.push([withdrawn ? 3 : 0, order, withdrawn ? 'withdrawn' : 'approved', gene.symbol, gene.hgnc_id])
        if ((gene.prev_symbol ?? []).some((s) => s.toLowerCase() === key)) found.push([1, order, 'previous', gene.symbol, gene.hgnc_id])
        if ((gene.alias_symbol ?? []).some((s) => s.toLowerCase() === key)) found.push([2, order, 'alias', gene.symbol, gene.hgnc_id])
      })
      found.sort((x, y) => x[0] - y[0] || x[1] - y[1])
      return found.length === 0 ? [[input, 'unmatched', '', '']] : found.map(([, , match, symbol, id]) => [input, match, symbol, id])
    }
    t.same(rows, ['BRCA1', 'brca1', 'MLL', 'PAP', 'A12M1', 'CAD', 'NOT-A-GENE'].flatMap(expected))
    const pap = rows.filter((row) => row[0] === 'PAP' && row[1] === 'alias').map((row) => row[2])
    t.ok(['ACPP', 'ASAP1', 'ASAP2', 'MRPS30', 'PAPOLA', 'PDAP1', 'TUSC2'].every((symbol) => pap.includes(symbol)), `PAP is an alias of ${pap.join(', ')}`)
    t.same(rows.filter((row) => row[0] === 'A12M1'), [['A12M1', 'withdrawn', 'A12M1', 'HGNC:1']], 'A12M1 is a withdrawn entry')
    t.same(rows.filter((row) => row[0] === 'CAD')[0], ['CAD', 'approved', 'CAD', 'HGNC:1424'], 'CAD is approved, and an alias of others')
    t.same(rows.at(-1), ['NOT-A-GENE', 'unmatched', '', ''])
    t.equal(result.summary['ambiguous'], 2, 'PAP and CAD name several genes')

    const approved = docs.filter((gene) => gene.status === 'Approved').slice(0, 5000).map((gene) => gene.symbol)
    const context = recordingContext(genes)
    const started = performance.now()
    const big = await runAnalysis(symbolCheck, { symbols: approved }, context)
    t.comment(`symbol-check of 5,000 symbols: ${Math.round(performance.now() - started)} ms`)
    t.equal(big.summary['inputs'], 5000)
    t.equal((big.summary['by_match_type'] as Record<string, number>)['approved'], 5000, 'every approved symbol is found as approved')
    // Three batches of 2,000 (the last 1,000), up to four in flight: progress after each as it finishes.
    t.equal(context.reports.length, 4, `progress after each of the three batches, then 100: ${context.reports.join(', ')}`)
    t.ok(context.reports.every((percent, i) => i === 0 || percent > (context.reports[i - 1] ?? 0)), 'rising')
    t.same(context.reports.slice(-2), [95, 100], 'the look-ups end at 95, the result at 100')
    const svg = await forms(symbolCheck, big)
    t.equal(svg.bars.length, 5)
  })

  t.test('id-mapping: an Ensembl id, a previous symbol, withdrawn entries, and 200,000 mixed symbols', async (t) => {
    const brief = (row: Record<string, unknown>) => [row['input'], row['match'], row['symbol'], row['hgnc_id'], row['status']]
    const ensembl = await runAnalysis(idMapping, { from: 'ensembl_gene_id', ids: ['ENSG00000012048', 'ensg00000002586', 'ENSG00000000000'] }, recordingContext(genes))
    t.same(ensembl.rows.map(brief), [
      ['ENSG00000012048', 'ensembl_gene_id', 'BRCA1', 'HGNC:1100', 'Approved'],
      ['ensg00000002586', 'ensembl_gene_id', 'CD99', 'HGNC:7082', 'Approved'],
      ['ENSG00000000000', 'not-found', '', '', '']
    ], 'ENSG00000012048 is BRCA1')
    t.equal(ensembl.rows[0]?.['name'], docs.find((gene) => gene.hgnc_id === 'HGNC:1100')?.name, 'with its name as sourced')
    const symbols = await runAnalysis(idMapping, { from: 'symbol', ids: ['MLL', 'mic2', 'PAP', 'A12M1', '60B8AG'] }, recordingContext(genes))
    t.same(symbols.rows.map(brief), [
      ['MLL', 'previous', 'KMT2A', 'HGNC:7132', 'Approved'],
      ['mic2', 'previous', 'CD99', 'HGNC:7082', 'Approved'],
      ['PAP', 'previous', 'REG3A', 'HGNC:8601', 'Approved'],
      ['A12M1', 'withdrawn', 'A12M1', 'HGNC:1', 'Entry Withdrawn'],
      ['60B8AG', 'ambiguous', 'S100A8', 'HGNC:10498', 'Approved'],
      ['60B8AG', 'ambiguous', 'S100A9', 'HGNC:10499', 'Approved']
    ], 'MLL, MIC2 and PAP are previous symbols (PAP, also an alias of several genes, maps through its previous symbol); A12M1 is withdrawn with no successor named; 60B8AG is an alias of two genes')
    // Withdrawn entries whose name notes a successor ("symbol withdrawn, see ...", "merged into ...").
    const noted = docs.filter((gene) => gene.status !== 'Approved' && /\b(see|merged)\b/i.test(gene.name))
    if (noted.length === 0) {
      t.comment(`no withdrawn entry of this snapshot names a successor (all ${docs.filter((gene) => gene.status !== 'Approved').length} are named "entry withdrawn"), so none maps as withdrawn-merged here; the fixture tests cover it`)
      const withdrawn = docs.filter((gene) => gene.status !== 'Approved').slice(0, 200)
      const result = await runAnalysis(idMapping, { from: 'hgnc_id', ids: withdrawn.map((gene) => gene.hgnc_id) }, recordingContext(genes))
      t.same(result.rows.map((row) => [row['match'], row['symbol']]), withdrawn.map((gene) => ['withdrawn', gene.symbol]), 'withdrawn ids stay withdrawn')
    } else {
      const result = await runAnalysis(idMapping, { from: 'symbol', ids: noted.map((gene) => gene.symbol) }, recordingContext(genes))
      t.ok(result.rows.every((row) => row['match'] === 'withdrawn-merged' || row['match'] === 'ambiguous'), `${noted.length} withdrawn symbols map to their successors, e.g. ${String(result.rows[0]?.['input'])} -> ${String(result.rows[0]?.['symbol'])}`)
    }

    // 200,000 symbols, a real mix: approved, previous, alias, withdrawn and unknown, in mixed case.
    const pool = docs.flatMap((gene) => [gene.symbol, gene.symbol.toLowerCase(), ...(gene.prev_symbol ?? []), ...(gene.alias_symbol ?? [])])
    const ids = Array.from({ length: 200_000 }, (_, i) => i % 10 === 9 ? `NOPE${i}` : pool[(i * 7919) % pool.length] as string)
    const context = recordingContext(genes)
    const started = performance.now()
    const big = await runAnalysis(idMapping, { from: 'symbol', ids }, context)
    t.comment(`id-mapping of 200,000 symbols: ${Math.round(performance.now() - started)} ms, ${big.rows.length} rows`)
    t.equal(big.summary['inputs'], 200_000)
    t.equal((big.summary['by_match'] as Record<string, number>)['not-found'], 20_000, 'the unknown tenth')
    t.equal(context.reports.at(-1), 100)
    const svg = await forms(idMapping, big)
    t.equal(svg.bars.length, 7)
  })
})
