/**
 * Search hits a process built before, so a repeat search neither reads nor parses the records of
 * its hits again. A hit is the same for the same gene, matched the same way by the same text, in
 * the same data version (a version's records never change, and a version id is never reused), so
 * nothing has to keep the memo true: it holds one version's hits, and a search of another version
 * starts it afresh. At most `maxEntries` hits, least recently used dropped first.
 */
export class SearchHitMemo<Hit> {
  private version: string | undefined
  private readonly hits = new Map<string, Hit>()

  constructor (private readonly maxEntries: number) {}

  /** The hit remembered under `key` (see `hitKey`) in `version`, or undefined. */
  get (version: string, key: string): Hit | undefined {
    if (version !== this.version) return undefined
    const hit = this.hits.get(key)
    if (hit !== undefined) {
      // Least recently used first: a hit moves to the end of the Map's order.
      this.hits.delete(key)
      this.hits.set(key, hit)
    }
    return hit
  }

  /** Keeps `hit` under `key` in `version`, forgetting the hits of any other version. */
  remember (version: string, key: string, hit: Hit): void {
    if (this.maxEntries === 0) return
    if (version !== this.version) {
      this.hits.clear()
      this.version = version
    }
    if (this.hits.size >= this.maxEntries) this.hits.delete(this.hits.keys().next().value as string)
    this.hits.set(key, hit)
  }

  /** How many hits it holds. */
  get size (): number {
    return this.hits.size
  }
}

/** The memo key of a gene matched as `match` by the (lower-cased) text `key`. */
export function hitKey (id: number, match: string, key: string): string {
  return `${id}\t${match}\t${key}`
}
