import type { CachedReads } from '../redis.js'
import { LruMap } from './lru-map.js'

/**
 * The decoded records a process served, by numeric id, so a repeat read costs one `Map` look-up:
 * no Redis command, no client-side cache look-up (which copies its reply), no decoding. It holds
 * only while the cached reads it was built from are unchanged: any invalidation Redis pushes (a
 * load swapped the version, a delete) or a lost connection empties it before the next read. At most
 * `reads.maxEntries` records, least recently used dropped first.
 */
export class RecordMemo {
  private readonly records: LruMap<string, string>
  private generation: number

  constructor (private readonly reads: CachedReads) {
    this.records = new LruMap(reads.maxEntries)
    this.generation = reads.generation()
  }

  /** The record of `id` served before and still true, or undefined. */
  get (id: string): string | undefined {
    return this.stale() ? undefined : this.records.get(id)
  }

  /** The reads' generation now: pass it to `remember` with what is read after it. */
  begin (): number {
    return this.reads.generation()
  }

  /** Keeps `record` for `id`, unless the reads changed since `generation` (it may already be stale). */
  remember (id: string, record: string, generation: number): void {
    if (this.stale() || generation !== this.generation) return
    // Decoding joins many pieces; reading a character makes V8 flatten them into one string, which
    // takes a quarter of the memory the pieces did.
    record.charCodeAt(0)
    this.records.set(id, record)
  }

  /** How many records it holds. */
  get size (): number {
    return this.records.size
  }

  /** Empties the memo when the reads changed; says whether they had. */
  private stale (): boolean {
    const now = this.reads.generation()
    if (now === this.generation) return false
    this.records.clear()
    this.generation = now
    return true
  }
}
