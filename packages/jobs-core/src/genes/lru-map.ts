/**
 * A `Map` of at most `maxEntries` entries that drops the least recently used first: a read moves
 * its entry to the end of the Map's insertion order, so the first key is always the one to drop.
 * A bound of 0 keeps nothing. Shared by the process's memos of decoded records and search hits.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>()

  constructor (private readonly maxEntries: number) {}

  /** The value under `key`, or undefined; a hit becomes the most recently used. */
  get (key: K): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  /** Keeps `value` under `key`, dropping the least recently used entry when full. */
  set (key: K, value: V): void {
    if (this.maxEntries === 0) return
    if (!this.entries.delete(key) && this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K)
    this.entries.set(key, value)
  }

  /** Drops every entry. */
  clear (): void {
    this.entries.clear()
  }

  /** How many entries it holds. */
  get size (): number {
    return this.entries.size
  }
}
