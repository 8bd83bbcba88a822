/** A gene a withdrawn entry's note names as its successor: by HGNC id, or by symbol. */
export type Successor = { hgncId: number } | { symbol: string }

/** The notes HGNC writes in a withdrawn entry's name, e.g. "symbol withdrawn, see [HGNC:1100]". */
const NOTE = /\b(?:symbol withdrawn,?\s*see|merged (?:into|with)|see)\s+(.+)$/i
const HGNC_ID = /^\[?HGNC:([1-9][0-9]{0,8})\]?$/i
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._@#*/-]*$/

/** True when a gene's status says it is withdrawn (`Entry Withdrawn`, or HGNC's older `Symbol Withdrawn`). */
export function isWithdrawn (status: string): boolean {
  return /withdrawn/i.test(status)
}

/**
 * The genes a withdrawn entry's name says it became, in the note's order: HGNC marks a symbol
 * withdrawn in favour of others as "symbol withdrawn, see [HGNC:1100]" or "symbol withdrawn, see
 * BRCA1", and a merge as "merged into X" (several: "see A, B and C"). A plain "entry withdrawn"
 * names none.
 */
export function successorsOf (name: string): Successor[] {
  const note = NOTE.exec(name.trim())?.[1]
  if (note === undefined) return []
  const successors: Successor[] = []
  for (const part of note.split(/\s*(?:,|;|\||\band\b)\s*/)) {
    const token = part.trim().replace(/[.)]+$/, '').replace(/~withdrawn$/i, '')
    const id = HGNC_ID.exec(token)?.[1]
    if (id !== undefined) successors.push({ hgncId: Number(id) })
    else if (SYMBOL.test(token)) successors.push({ symbol: token })
  }
  return successors
}
