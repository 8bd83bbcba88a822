import t from 'tap'
import { columnsOf, toTable } from '../src/render.js'

const columns = [{ field: 'name', header: 'Name' }, { field: 'n', header: 'Count' }, { field: 'kind', header: 'Kind', labels: { a: 'Alpha' } }]

t.test('CSV: RFC 4180 quoting, CRLF line ends, a header line', async (t) => {
  const csv = toTable([
    { name: 'plain', n: 1, kind: 'a' },
    { name: 'with, comma', n: 2, kind: 'b' },
    { name: 'with "quotes"', n: 3, kind: null },
    { name: 'two\nlines', n: 0 },
    { name: ' padded ', n: 4.5, kind: 'a' }
  ], columns, 'csv')
  t.equal(csv, [
    'Name,Count,Kind',
    'plain,1,Alpha',
    '"with, comma",2,b',
    '"with ""quotes""",3,',
    '"two\nlines",0,',
    '" padded ",4.5,Alpha',
    ''
  ].join('\r\n'))
})

t.test('TSV: no quoting; tabs and line breaks inside values become spaces', async (t) => {
  const tsv = toTable([{ name: 'a\tb', n: 1, kind: 'a' }, { name: 'x\r\ny', n: 2, kind: 'with "quotes", commas' }], columns, 'tsv')
  t.equal(tsv, 'Name\tCount\tKind\na b\t1\tAlpha\nx y\t2\twith "quotes", commas\n')
})

t.test('cells a spreadsheet would run as formulas are defused', async (t) => {
  const csv = toTable([{ name: '=HYPERLINK("http://x")', n: -1 }, { name: '+1', n: 0 }, { name: '-2', n: 0 }, { name: '@SUM(A1)', n: 0 }], columns.slice(0, 2), 'csv')
  t.equal(csv, 'Name,Count\r\n"\'=HYPERLINK(""http://x"")",-1\r\n\'+1,0\r\n\'-2,0\r\n\'@SUM(A1),0\r\n', 'text cells get a leading quote; numbers stay numbers')
})

t.test('rows without declared columns use their own fields; no rows give an empty table', async (t) => {
  t.same(columnsOf([{ b: 1, a: 2 }]), [{ field: 'b', header: 'b' }, { field: 'a', header: 'a' }])
  t.equal(toTable([], columnsOf([]), 'csv'), '\r\n')
  t.equal(toTable([], columns, 'tsv'), 'Name\tCount\tKind\n', 'declared columns give a header even without rows')
  t.equal(toTable([{ name: { nested: true }, n: true }], columns.slice(0, 2), 'csv'), 'Name,Count\r\n"{""nested"":true}",true\r\n')
})
