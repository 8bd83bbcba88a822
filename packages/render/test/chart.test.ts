import t from 'tap'
import { Resvg } from '@resvg/resvg-js'
import { CHART_FONT_FAMILY, CHART_FONT_FILE, chartToSvg, checkChartFont, readFontMetrics, renderChart, svgToPng } from '../src/render.js'
import { countColour, decodePng, parseXml, readSvgChart } from './helpers.js'

const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'Three bars',
  width: 200,
  height: 100,
  data: { values: [{ k: 'a', v: 1 }, { k: 'b', v: 3 }, { k: 'c', v: 2 }] },
  mark: 'bar',
  encoding: { x: { field: 'k', type: 'nominal', title: 'Key' }, y: { field: 'v', type: 'quantitative', title: 'Value' }, color: { value: '#4c78a8' } }
}

t.test('a spec becomes an SVG document and a PNG of the same size', async (t) => {
  const chart = await renderChart(spec)
  t.same(chart.warnings, [])
  const svg = readSvgChart(chart.svg)
  t.equal(svg.bars.length, 3, 'three bars')
  t.same(svg.bars.map((bar) => [bar['Key'], bar['Value']]), [['a', '1'], ['b', '3'], ['c', '2']])
  t.same(svg.title, ['Three bars'])
  t.same(svg.axisTitles, ['Key', 'Value'])
  t.equal(parseXml(chart.svg).attributes['xmlns'], 'http://www.w3.org/2000/svg')
  t.notOk(/font-family="(?!DejaVu Sans")/.test(chart.svg), 'every text is set in DejaVu Sans')
  const png = decodePng(chart.png)
  t.same([png.width, png.height], [svg.width, svg.height], 'the PNG has the SVG size')
  t.same([chart.width, chart.height], [svg.width, svg.height])
  t.same(png.pixel(0, 0), [255, 255, 255, 255], 'white background')
  t.ok(countColour(png, '#4c78a8') > 1000, 'the bars are drawn in their colour')
})

t.test('text is laid out with the font it is drawn in', async (t) => {
  const metrics = readFontMetrics(CHART_FONT_FILE)
  for (const text of ['Genes approved per year', 'protein-coding gene', 'HGNC:1–HGNC:60000', 'WWW iii 1986']) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40"><text x="0" y="20" font-family="${CHART_FONT_FAMILY}" font-size="12">${text}</text></svg>`
    const drawn = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [CHART_FONT_FILE], defaultFontFamily: CHART_FONT_FAMILY } }).getBBox()
    const measured = metrics.width(text, 12)
    t.ok(drawn !== undefined && Math.abs(drawn.x + drawn.width - measured) < 0.04 * measured + 1.5, `"${text}": measured ${measured.toFixed(1)} px, drawn ${((drawn?.x ?? 0) + (drawn?.width ?? 0)).toFixed(1)} px`)
  }
  // A long label is not cut short by a guess: vega's own estimate (0.8 em a character) would truncate it.
  const { svg } = await chartToSvg({
    ...spec,
    data: { values: [{ k: 'a label of exactly forty-one characters..', v: 1 }] },
    encoding: { y: { field: 'k', type: 'nominal', axis: { labelLimit: 240 } }, x: { field: 'v', type: 'quantitative' } }
  })
  t.match(svg, />a label of exactly forty-one characters..</)
})

t.test('a missing font file is a clear, unrecoverable error', async (t) => {
  t.throws(() => checkChartFont('/nonexistent/DejaVuSans.ttf'), {
    code: 'UNRECOVERABLE',
    message: 'the chart font DejaVu Sans is missing: no file /nonexistent/DejaVuSans.ttf (install the fonts-dejavu-core package, as the Docker image does)'
  })
  t.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', '/nonexistent/font.ttf'), { code: 'UNRECOVERABLE' })
  t.doesNotThrow(() => checkChartFont())
})

t.test('specs cannot load data from files or the network', async (t) => {
  const { warnings } = await chartToSvg({ ...spec, data: { url: 'file:///etc/passwd' } })
  t.ok(warnings.some((warning) => /charts load no data/.test(warning)), `refused: ${warnings.join(' | ')}`)
})

t.test('a broken spec reports what vega-lite says', async (t) => {
  const { warnings } = await chartToSvg({ ...spec, encoding: { ...spec.encoding, x: { field: 'k', type: 'nominal', timeUnit: 'nonsense' } } })
  t.ok(warnings.length > 0, `warnings: ${warnings.join(' | ')}`)
})
