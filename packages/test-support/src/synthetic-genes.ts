import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createGzip } from 'node:zlib'

const LOCUS = [
  ['protein-coding gene', 'gene with protein product'],
  ['non-coding RNA', 'RNA, long non-coding'],
  ['pseudogene', 'pseudogene'],
  ['other', 'unknown']
] as const

/** One made-up gene in the HGNC JSON shape (not real data: symbols are `SYN<n>`). */
function syntheticGene (n: number): Record<string, unknown> {
  const [locusGroup, locusType] = LOCUS[n % LOCUS.length] as readonly [string, string]
  const withdrawn = n % 50 === 0
  return {
    hgnc_id: `HGNC:${n}`,
    symbol: withdrawn ? `SYN${n}~withdrawn` : `SYN${n}`,
    name: `synthetic gene ${n}`,
    status: withdrawn ? 'Entry Withdrawn' : 'Approved',
    locus_group: withdrawn ? 'withdrawn' : locusGroup,
    locus_type: withdrawn ? 'entry withdrawn' : locusType,
    ...(withdrawn ? {} : { location: `${(n % 22) + 1}q${n % 40}.${n % 9}` }),
    date_approved_reserved: `${1990 + (n % 30)}-0${(n % 9) + 1}-1${n % 10}`,
    ...(n % 3 === 0 ? { prev_symbol: [`OLD${n}`] } : {}),
    ...(n % 4 === 0 ? { alias_symbol: [`ALIAS${n}`, `A${n}X`] } : {}),
    _version_: 1_600_000_000_000_000_000n + BigInt(n)
  }
}

/**
 * Writes `count` made-up genes as a gzipped HGNC JSON download (the `response.docs` envelope) to
 * `path`: a load that takes a while, for tests and soaks that must interrupt one, without any real
 * data in the repository.
 */
export async function writeSyntheticHgnc (path: string, count: number): Promise<void> {
  async function * chunks (): AsyncGenerator<string> {
    yield `{"responseHeader":{"status":0},"response":{"numFound":${count},"start":0,"docs":[`
    for (let n = 1; n <= count; n++) {
      const doc = JSON.stringify(syntheticGene(n), (_key, value: unknown) => typeof value === 'bigint' ? `@@${value}@@` : value)
      yield `${n > 1 ? ',' : ''}${doc.replace(/"@@(\d+)@@"/, '$1')}`
    }
    yield ']}}'
  }
  await pipeline(Readable.from(chunks()), createGzip(), createWriteStream(path))
}
