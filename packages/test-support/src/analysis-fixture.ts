import { readFileSync } from 'node:fs'
import { createLogger, GeneStore, readHgncSource, type Logger } from '@genejobs/jobs-core'
import { fixturePath } from './fixtures.js'
import { startTestRedis, type TestRedis } from './test-stores.js'

/** The analyses' fixture: 22 hand-written genes covering every placement and match type. */
export const ANALYSES_FIXTURE = fixturePath('analyses-genes.json')

/** The id-mapping fixture: 20 hand-written genes with cross-references and withdrawn entries' notes. */
export const ID_MAPPING_FIXTURE = fixturePath('id-mapping-genes.json')

/** One gene of a fixture, as the file has it. */
export interface FixtureGene {
  hgnc_id: string
  symbol: string
  name: string
  locus_group: string
  locus_type: string
  status: string
  location?: string
  alias_symbol?: string[]
  prev_symbol?: string[]
  date_approved_reserved?: string
}

/** The genes of a fixture file, read directly (not through the store), for independent checks. */
export function fixtureGenes (path: string = ANALYSES_FIXTURE): FixtureGene[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { response: { docs: FixtureGene[] } }).response.docs
}

/** A redis-server with `path` loaded into a gene store; closed on teardown. */
export async function loadedGenes (t: { teardown: (fn: () => Promise<void>) => void }, path: string = ANALYSES_FIXTURE): Promise<{ redis: TestRedis, genes: GeneStore }> {
  const redis = await startTestRedis()
  t.teardown(redis.close)
  const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  await genes.load(readHgncSource(path), path)
  return { redis, genes }
}

/** A context for running an analysis directly (an analysis's `AnalysisContext`); `progress` records every report. */
export function recordingContext (genes: GeneStore): { genes: GeneStore, log: Logger, progress: (percent: number) => Promise<void>, reports: number[] } {
  const reports: number[] = []
  return {
    genes,
    log: createLogger('silent', 'test'),
    reports,
    progress: async (percent: number) => { reports.push(percent) }
  }
}

/**
 * An independent reading of an HGNC location, written apart from the analyses' own code: the
 * leading chromosome name checked against 1-22, X, Y; `mitochondria` is MT; the rest are buckets.
 */
export function placeOf (location: string | undefined): string {
  if (location === undefined || location === '') return 'no location'
  if (location === 'mitochondria') return 'MT'
  if (location === 'reserved' || location === 'unplaced') return location
  const lead = /^([0-9]+|X|Y)/.exec(location)?.[1]
  if (lead !== undefined && (lead === 'X' || lead === 'Y' || (Number(lead) >= 1 && Number(lead) <= 22))) return lead
  return 'other'
}
