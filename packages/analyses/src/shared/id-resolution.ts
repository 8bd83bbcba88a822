import type { GeneBrief, GeneStore } from '@genejobs/jobs-core'
import { parseHgncId } from '@genejobs/jobs-core'
import { isWithdrawn, successorsOf } from './withdrawn-notes.js'

/** One kind of match an input has and the numeric ids of the genes it names that way. */
export interface Tier { kind: string, ids: number[] }

/**
 * How one input resolved: the best tier that names a current gene (`kind` from the tier), else the
 * genes its withdrawn entries' notes name (`withdrawn-merged`), else those withdrawn entries
 * (`withdrawn`), else nothing (`not-found`); `ambiguous` when that names more than one gene.
 */
export interface Resolution { kind: string, ids: number[] }

/** How many withdrawn-into-withdrawn steps are followed before giving up (a guard against loops). */
const MAX_HOPS = 5

/** Symbols a note names, looked up per call to the gene store. */
const SYMBOLS_PER_CALL = 2000

function unique (ids: Iterable<number>): number[] {
  return [...new Set(ids)]
}

/**
 * The genes each withdrawn entry's note names directly (by HGNC id, or by symbol: the approved
 * gene of that symbol, else the genes that had it as a previous symbol), adding their briefs.
 */
async function directSuccessors (withdrawn: number[], briefs: Map<number, GeneBrief>, genes: GeneStore): Promise<Map<number, number[]>> {
  const notes = withdrawn.map((id) => successorsOf(briefs.get(id)?.name ?? ''))
  const symbols: string[] = []
  for (const note of notes) for (const target of note) if ('symbol' in target) symbols.push(target.symbol.toLowerCase())
  const bySymbol = new Map<string, number[]>()
  const distinct = [...new Set(symbols)]
  for (let start = 0; start < distinct.length; start += SYMBOLS_PER_CALL) {
    const batch = distinct.slice(start, start + SYMBOLS_PER_CALL)
    const answers = await genes.lookupSymbols(batch)
    batch.forEach((symbol, i) => {
      const matches = answers[i] ?? []
      const approved = matches.filter((match) => match.match === 'approved')
      const chosen = approved.length > 0 ? approved : matches.filter((match) => match.match === 'previous')
      bySymbol.set(symbol, unique(chosen.map((match) => parseHgncId(match.hgnc_id))))
    })
  }
  const direct = new Map<number, number[]>()
  withdrawn.forEach((id, i) => {
    direct.set(id, unique((notes[i] ?? []).flatMap((target) => 'hgncId' in target ? [target.hgncId] : bySymbol.get(target.symbol.toLowerCase()) ?? [])))
  })
  const missing = unique([...direct.values()].flat()).filter((id) => !briefs.has(id))
  for (const [id, brief] of await genes.describe(missing)) briefs.set(id, brief)
  for (const [id, targets] of direct) direct.set(id, targets.filter((target) => briefs.has(target)))
  return direct
}

/**
 * The current genes each withdrawn entry became, as the data's notes say, following a note that
 * names another withdrawn entry (up to `MAX_HOPS` steps); [] for an entry whose note names none.
 */
async function followSuccessors (withdrawn: number[], briefs: Map<number, GeneBrief>, genes: GeneStore): Promise<Map<number, number[]>> {
  const direct = new Map<number, number[]>()
  let pending = unique(withdrawn)
  for (let hop = 0; hop < MAX_HOPS && pending.length > 0; hop++) {
    for (const [id, targets] of await directSuccessors(pending, briefs, genes)) direct.set(id, targets)
    pending = unique([...direct.values()].flat()).filter((id) => !direct.has(id) && isWithdrawn(briefs.get(id)?.status ?? ''))
  }
  const current = (id: number, seen: Set<number>): number[] => (direct.get(id) ?? []).flatMap((target) => {
    if (!isWithdrawn(briefs.get(target)?.status ?? '')) return [target]
    return seen.has(target) ? [] : current(target, new Set([...seen, target]))
  })
  return new Map(unique(withdrawn).map((id) => [id, unique(current(id, new Set([id])))]))
}

/**
 * Resolves every input's tiers (best kind first) to the current approved gene(s), batched: one
 * `describe` of every gene named (`names`: those the look-up already gave), then the withdrawn
 * entries' notes (see `Resolution`). Returns the resolutions in the order of `tiers` and the brief
 * of every gene they name.
 */
export async function resolveTiers (tiers: Tier[][], genes: GeneStore, names?: ReadonlyMap<number, string>): Promise<{ resolutions: Resolution[], briefs: Map<number, GeneBrief> }> {
  const named = new Set<number>()
  for (const input of tiers) for (const tier of input) for (const id of tier.ids) named.add(id)
  const briefs = await genes.describe(named, names)
  const withdrawnIds = new Set<number>()
  for (const [id, brief] of briefs) if (isWithdrawn(brief.status)) withdrawnIds.add(id)
  const withdrawnOf = (input: Tier[]) => unique(input.flatMap((tier) => tier.ids.filter((id) => withdrawnIds.has(id))))
  const successors = await followSuccessors([...withdrawnIds], briefs, genes)
  const resolutions = tiers.map((input): Resolution => {
    for (const tier of input) {
      const ids = unique(tier.ids.filter((id) => briefs.has(id) && !withdrawnIds.has(id)))
      if (ids.length > 0) return { kind: ids.length > 1 ? 'ambiguous' : tier.kind, ids }
    }
    const entries = withdrawnOf(input)
    const merged = unique(entries.flatMap((id) => successors.get(id) ?? []))
    const [kind, ids] = merged.length > 0 ? ['withdrawn-merged', merged] : entries.length > 0 ? ['withdrawn', entries] : ['not-found', []]
    return { kind: ids.length > 1 ? 'ambiguous' : kind, ids }
  })
  return { resolutions, briefs }
}
