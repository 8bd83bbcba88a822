import t, { type Test } from 'tap'
import { approvalTimeline, chromosomes, locusTypes, runAnalysis, symbolCheck, type Analysis, type AnalysisResult } from '@genejobs/analyses'
import { loadedGenes, recordingContext } from '@genejobs/test-support'
import { createResultRenderer } from '../src/render.js'
import { countColour, decodePng, readSvgChart } from './helpers.js'

const { genes } = await loadedGenes(t)
const render = createResultRenderer()
const ALL = { hgnc_id_start: 'HGNC:1', hgnc_id_end: 'HGNC:60000' }

async function run (analysis: Analysis<any, any>, params: Record<string, unknown>): Promise<{ result: AnalysisResult, forms: Record<string, string | Buffer> }> {
  const result = await runAnalysis(analysis, params, recordingContext(genes))
  return { result, forms: await render(result, { id: '00000000-0000-4000-8000-000000000000', analysis }) }
}

/** Splits RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv (text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(cell); cell = '' } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++ } else cell += c
  }
  if (cell !== '' || row.length > 0) throw new Error('CSV: the last line has no line end')
  return rows
}

function checkChart (t: Test, forms: Record<string, string | Buffer>, bars: number, legend: string[] | undefined) {
  const svg = readSvgChart(forms['svg'] as string)
  t.equal(svg.bars.length, bars, `${bars} bars`)
  t.equal(svg.title.length, 2, 'a title and a subtitle')
  t.equal(svg.axisTitles.length, 2, 'both axes titled')
  if (legend === undefined) t.same(svg.legendTitle, [], 'no legend: one series')
  else t.same([svg.legendTitle, svg.legendLabels], [['Locus group'], legend], 'a legend of the series')
  const png = decodePng(forms['png'] as Buffer)
  t.same([png.width, png.height], [svg.width, svg.height], `PNG ${png.width}x${png.height}, as the SVG`)
  return { svg, png }
}

t.test('approval-timeline: JSON with the spec, CSV/TSV of the rows, SVG and PNG of the chart', async (t) => {
  const { result, forms } = await run(approvalTimeline, ALL)
  t.same(Object.keys(forms).sort(), ['csv', 'png', 'svg', 'tsv'], 'every form by default')
  const { svg, png } = checkChart(t, forms, result.rows.length, ['protein-coding gene', 'non-coding RNA', 'pseudogene', 'phenotype', 'other'])
  t.same(svg.bars.map((bar) => [Number(bar['Year']), bar['Locus group'], Number(bar['Genes'])]), result.rows.map((row) => [row['year'], row['locus_group'], row['count']]), 'each bar shows its row')
  t.ok(countColour(png, '#4c78a8') > 500, 'protein-coding bars drawn')
  t.same(parseCsv(forms['csv'] as string).slice(0, 3), [['year', 'locus_group', 'count'], ['1986', 'protein-coding gene', '2'], ['1986', 'non-coding RNA', '1']])
  t.equal((forms['tsv'] as string).split('\n')[1], '1986\tprotein-coding gene\t2')
})

t.test('locus-types: a bar and a count label per type', async (t) => {
  const { result, forms } = await run(locusTypes, ALL)
  const { svg } = checkChart(t, forms, 8, ['protein-coding gene', 'non-coding RNA', 'pseudogene', 'phenotype', 'other', 'withdrawn'])
  t.same(svg.markTexts.map(Number).sort((a, b) => b - a), [9, 4, 3, 2, 1, 1, 1, 1], 'a count printed beside each bar')
  t.equal(parseCsv(forms['csv'] as string).length, result.rows.length + 1)
})

t.test('chromosomes: one bar segment per chromosome and locus group', async (t) => {
  const { result, forms } = await run(chromosomes, ALL)
  const { svg } = checkChart(t, forms, 20, ['protein-coding gene', 'non-coding RNA', 'pseudogene', 'phenotype', 'other', 'withdrawn'])
  const perPlacement: Record<string, number> = {}
  for (const bar of svg.bars) perPlacement[bar['Chromosome'] as string] = (perPlacement[bar['Chromosome'] as string] ?? 0) + Number(bar['Genes'])
  t.same(perPlacement, { 1: 3, 2: 1, 12: 2, 13: 1, 14: 1, 17: 2, 19: 2, X: 2, Y: 1, MT: 2, unplaced: 1, reserved: 1, other: 1, 'no location': 2 })
  t.equal(parseCsv(forms['csv'] as string).length, result.rows.length + 1)
})

t.test("symbol-check: the checker's columns and wording in the download", async (t) => {
  const { forms } = await run(symbolCheck, { symbols: ['BRCA1', 'mic2', 'TDF', 'A12M2', 'CAD', 'none', '=1+1'] })
  const { svg } = checkChart(t, forms, 5, undefined)
  t.same(svg.bars.map((bar) => [bar['match_type'] ?? bar['Match type'], bar['Inputs']]), [['approved', '2'], ['previous', '1'], ['alias', '1'], ['withdrawn', '1'], ['unmatched', '2']])
  t.same(svg.markTexts, ['2', '1', '1', '1', '2'])
  t.same(parseCsv(forms['csv'] as string), [
    ['Input', 'Match type', 'Approved symbol', 'Approved name', 'HGNC ID', 'Location'],
    ['BRCA1', 'Approved symbol', 'BRCA1', 'BRCA1 DNA repair associated', 'HGNC:1100', '17q21.31'],
    ['mic2', 'Previous symbol', 'CD99', 'CD99 molecule (Xg blood group)', 'HGNC:7082', 'Xp22.32 and Yp11.3'],
    ['TDF', 'Alias symbol', 'SRY', 'sex determining region Y', 'HGNC:11311', 'Yp11.2'],
    ['A12M2', 'Entry withdrawn', 'A12M2', 'entry withdrawn', 'HGNC:2', ''],
    ['CAD', 'Approved symbol', 'CAD', 'carbamoyl-phosphate synthetase 2, aspartate transcarbamylase, and dihydroorotase', 'HGNC:1424', '2p23.3'],
    ['CAD', 'Alias symbol', 'ACOD1', 'aconitate decarboxylase 1', 'HGNC:26937', '13q22.3'],
    ['none', 'Unmatched', '', '', '', ''],
    ["'=1+1", 'Unmatched', '', '', '', '']
  ])
  t.equal((forms['tsv'] as string).split('\n')[0], 'Input\tMatch type\tApproved symbol\tApproved name\tHGNC ID\tLocation')
})

t.test('a result without a chart is stored as JSON, CSV and TSV only', async (t) => {
  const forms = await render({ summary: { n: 1 }, rows: [{ a: 1, b: 'x' }] }, { id: 'x', analysis: { name: 'test-sleep' } })
  t.same(Object.keys(forms).sort(), ['csv', 'tsv'], 'no chart: no SVG or PNG')
  t.equal(forms['csv'], 'a,b\r\n1,x\r\n')
})

t.test('the renderer refuses to start without its font', async (t) => {
  t.throws(() => createResultRenderer({ fontFile: '/nonexistent/DejaVuSans.ttf' }), { code: 'UNRECOVERABLE', message: /install the fonts-dejavu-core package/ })
})

t.test('only the forms asked for are drawn; the PNG brings its SVG along', async (t) => {
  const result = await runAnalysis(locusTypes, ALL, recordingContext(genes))
  const job = { id: '00000000-0000-4000-8000-000000000000', analysis: locusTypes }
  t.same(Object.keys(await render(result, job, ['csv'])), ['csv'])
  t.same(Object.keys(await render(result, job, ['svg'])), ['svg'])
  const drawn = await render(result, job, ['png'])
  t.same(Object.keys(drawn).sort(), ['png', 'svg'])
  const svg = readSvgChart(drawn.svg as string)
  const png = decodePng(drawn.png as Buffer)
  t.same([png.width, png.height], [svg.width, svg.height], 'the PNG is drawn from that SVG')
})
