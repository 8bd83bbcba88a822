import { useState } from 'preact/hooks'
import { api } from '../api.js'
import { href, routeQuery } from '../router.js'
import { CopyButton, ErrorNote, Title, useLoad } from '../ui.js'

interface SearchHit { hgnc_id: string, symbol: string, name: string, status: string, match: string, matched: string }
interface SearchResult { total: number, hits: SearchHit[] }
type GeneRecord = Record<string, unknown>

const PAGE = 20

/** Genes: a search box on `GET /search` and the list of hits, paged. */
export function GenesPage () {
  const query = routeQuery()
  const q = query.get('q') ?? ''
  const offset = Number(query.get('offset') ?? 0)
  const [text, setText] = useState(q)
  const result = useLoad(async () => q === '' ? undefined : await api<SearchResult>(`/search?${new URLSearchParams({ q, offset: String(offset), limit: String(PAGE) }).toString()}`), [q, offset])
  const go = (nextQ: string, nextOffset = 0): void => { location.hash = `#/genes?${new URLSearchParams({ q: nextQ, offset: String(nextOffset) }).toString()}` }
  return (
    <section>
      <Title>Genes</Title>
      <form role='search' onSubmit={(event) => { event.preventDefault(); if (text.trim() !== '') go(text.trim()) }}>
        <label for='gene-search'>Search by symbol, previous or alias symbol, name words, HGNC id or cross-reference id (a trailing * searches a prefix)</label>
        <div class='row'>
          <input id='gene-search' type='search' value={text} onInput={(event) => { setText(event.currentTarget.value) }} placeholder='BRCA1, HGNC:1100, breast cancer, ENSG00000012048' maxLength={200} />
          <button type='submit'>Search</button>
        </div>
      </form>
      <ErrorNote error={result.error} />
      {result.value !== undefined && (
        <div aria-live='polite'>
          <p>{result.value.total === 0 ? `No gene matches “${q}”.` : `${result.value.total} gene${result.value.total === 1 ? '' : 's'} match “${q}”.`}</p>
          <ul class='hits'>
            {result.value.hits.map((hit) => (
              <li key={hit.hgnc_id}>
                <a href={href('genes', hit.hgnc_id)}><strong>{hit.symbol}</strong></a> {hit.name}
                <span class='muted'> · {hit.hgnc_id} · {hit.status} · matched {hit.match}: {hit.matched}</span>
              </li>
            ))}
          </ul>
          <Pager offset={offset} total={result.value.total} onPage={(next) => { go(q, next) }} />
        </div>
      )}
    </section>
  )
}

function Pager ({ offset, total, onPage }: { offset: number, total: number, onPage: (offset: number) => void }) {
  if (total <= PAGE) return null
  return (
    <nav class='row' aria-label='Result pages'>
      <button type='button' disabled={offset === 0} onClick={() => { onPage(Math.max(0, offset - PAGE)) }}>Previous</button>
      <span>{offset + 1}–{Math.min(total, offset + PAGE)} of {total}</span>
      <button type='button' disabled={offset + PAGE >= total} onClick={() => { onPage(offset + PAGE) }}>Next</button>
    </nav>
  )
}

/** Where each cross-reference id of a record links to. */
const LINKS: Record<string, { label: string, url: (id: string) => string }> = {
  entrez_id: { label: 'NCBI Gene', url: (id) => `https://www.ncbi.nlm.nih.gov/gene/${encodeURIComponent(id)}` },
  ensembl_gene_id: { label: 'Ensembl', url: (id) => `https://www.ensembl.org/id/${encodeURIComponent(id)}` },
  uniprot_ids: { label: 'UniProt', url: (id) => `https://www.uniprot.org/uniprotkb/${encodeURIComponent(id)}` },
  omim_id: { label: 'OMIM', url: (id) => `https://www.omim.org/entry/${encodeURIComponent(id)}` },
  refseq_accession: { label: 'RefSeq', url: (id) => `https://www.ncbi.nlm.nih.gov/nuccore/${encodeURIComponent(id)}` },
  ccds_id: { label: 'CCDS', url: (id) => `https://www.ncbi.nlm.nih.gov/CCDS/CcdsBrowse.cgi?REQUEST=CCDS&DATA=${encodeURIComponent(id)}` },
  ucsc_id: { label: 'UCSC', url: (id) => `https://genome.ucsc.edu/cgi-bin/hgGene?hgg_gene=${encodeURIComponent(id)}&db=hg38` },
  pubmed_id: { label: 'PubMed', url: (id) => `https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(id)}/` },
  mgd_id: { label: 'MGI', url: (id) => `https://www.informatics.jax.org/marker/${encodeURIComponent(id)}` },
  rgd_id: { label: 'RGD', url: (id) => `https://rgd.mcw.edu/rgdweb/report/gene/main.html?id=${encodeURIComponent(id.replace(/^RGD:/, ''))}` },
  cosmic: { label: 'COSMIC', url: (id) => `https://cancer.sanger.ac.uk/cosmic/gene/analysis?ln=${encodeURIComponent(id)}` },
  ena: { label: 'ENA', url: (id) => `https://www.ebi.ac.uk/ena/browser/view/${encodeURIComponent(id)}` },
  vega_id: { label: 'Vega', url: (id) => `https://vega.archive.ensembl.org/Homo_sapiens/Gene/Summary?g=${encodeURIComponent(id)}` }
}

const list = (value: unknown): string[] => Array.isArray(value) ? value.map(String) : value === undefined || value === null || value === '' ? [] : [String(value)]

/** One gene: the record shown readably, its cross-references as links, and the JSON with a copy button. */
export function GenePage ({ id }: { id: string }) {
  const gene = useLoad(async () => await api<GeneRecord>(`/genes/${encodeURIComponent(id)}`), [id])
  const [json, setJson] = useState(false)
  const record = gene.value
  return (
    <section>
      <p><a href={href('genes')}>← Genes</a></p>
      <Title>{record === undefined ? id : `${String(record['symbol'])}: ${String(record['name'] ?? '')}`}</Title>
      <ErrorNote error={gene.error} />
      {record !== undefined && (
        <>
          <dl class='record'>
            <dt>HGNC id</dt><dd>{String(record['hgnc_id'])}</dd>
            <dt>Status</dt><dd>{String(record['status'] ?? '')}</dd>
            <dt>Locus</dt><dd>{[record['locus_group'], record['locus_type']].filter((v) => v !== undefined).map(String).join(' · ')}</dd>
            <dt>Location</dt><dd>{String(record['location'] ?? '—')}</dd>
            <dt>Previous symbols</dt><dd>{list(record['prev_symbol']).join(', ') || '—'}</dd>
            <dt>Alias symbols</dt><dd>{list(record['alias_symbol']).join(', ') || '—'}</dd>
            <dt>Approved</dt><dd>{String(record['date_approved_reserved'] ?? '—')}</dd>
          </dl>
          <h2>Cross-references</h2>
          <ul class='xrefs'>
            {Object.entries(LINKS).flatMap(([field, link]) => list(record[field]).map((value) => (
              <li key={`${field}-${value}`}>{link.label}: <a href={link.url(value)} rel='noopener noreferrer'>{value}</a></li>
            )))}
          </ul>
          <h2>JSON</h2>
          <div class='row'>
            <button type='button' aria-expanded={json} aria-controls='gene-json' onClick={() => { setJson(!json) }}>{json ? 'Hide JSON' : 'Show JSON'}</button>
            <CopyButton text={JSON.stringify(record, null, 2)} label='Copy JSON' />
          </div>
          {json && <pre id='gene-json' class='json' tabIndex={0}>{JSON.stringify(record, null, 2)}</pre>}
        </>
      )}
    </section>
  )
}
