import { LruMap } from './lru-map.js'

/**
 * Search hits a process built before, so a repeat search neither reads nor parses the records of
 * its hits again. A hit is the same for the same gene, matched the same way by the same text, in
 * the same data version (a version's records never change, and a version id is never reused), so
 * nothing has to keep the memo true: it holds one version's hits, and a search of another version
 * starts it afresh. At most `maxEntries` hits, least recently used dropped first.
 */
export class SearchHitMemo<Hit> {
  private version: string | undefined
  private readonly hits: LruMap<string, Hit>

  constructor (maxEntries: number) {
    this.hits = new LruMap(maxEntries)
  }

  /** The hit remembered under `key` (see `hitKey`) in `version`, or undefined. */
  get (version: string, key: string): Hit | undefined {
    return version === this.version ? this.hits.get(key) : undefined
  }

  /** Keeps `hit` under `key` in `version`, forgetting the hits of any other version. */
  remember (version: string, key: string, hit: Hit): void {
    if (version !== this.version) {
      this.hits.clear()
      this.version = version
    }
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
