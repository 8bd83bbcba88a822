import { BasicClientSideCache, BasicPooledClientSideCache, type RedisArgument } from 'redis'

/**
 * The two reads a gene look-up makes (the version pointer, then one record), answered from memory
 * when they were read before (RESP3 server-assisted client-side caching, see `createCachingClient`
 * in redis.ts), and a counter that tells a caller's own memo built on those reads when to forget it.
 */
export interface CachedReads {
  get: (key: string) => Promise<string | null>
  hGet: (key: string, field: string) => Promise<string | null>
  /** How many replies the cache holds now. */
  cachedReplies: () => number
  /** The most replies the cache keeps (`GENE_CACHE_ENTRIES`); a memo built on it keeps no more. */
  maxEntries: number
  /**
   * Changes whenever Redis invalidated a key this cache read, or the cache was emptied (a lost
   * connection): whatever a caller derived from earlier replies holds only while this stays the same.
   */
  generation: () => number
}

/** A node-redis client-side cache as the caching client needs it: counting changes to what it holds. */
export interface CountingCache {
  readonly changes: number
  size: () => number
}

/** `Base`, counting every invalidation pushed by Redis and every emptying of the cache. */
function counting<T extends new (...args: any[]) => BasicClientSideCache> (Base: T) {
  return class extends Base implements CountingCache {
    changes = 0
    override invalidate (key: RedisArgument | null): void {
      this.changes++
      super.invalidate(key)
    }

    override clear (resetStats?: boolean): void {
      this.changes++
      super.clear(resetStats)
    }
  }
}

const CountingClientCache = counting(BasicClientSideCache)
const CountingPooledCache = counting(BasicPooledClientSideCache)

/**
 * A least-recently-used client-side cache of at most `maxEntries` replies that counts its changes;
 * `pooled` for a cluster client (one cache shared by every node's connection).
 */
export function countingCache (maxEntries: number, pooled: boolean): BasicClientSideCache & CountingCache {
  const config = { ttl: 0, maxEntries, evictPolicy: 'LRU' } as const
  return pooled ? new CountingPooledCache(config) : new CountingClientCache(config)
}

/** The cached reads of `client`, whose client-side cache is `cache`. */
export function cachedReadsOf (client: { get: (key: string) => Promise<unknown>, hGet: (key: string, field: string) => Promise<unknown> }, cache: CountingCache, maxEntries: number): CachedReads {
  return {
    get: async (key) => await client.get(key) as string | null,
    hGet: async (key, field) => await client.hGet(key, field) as string | null,
    cachedReplies: () => cache.size(),
    maxEntries,
    generation: () => cache.changes
  }
}
