import t from 'tap'
import { LruMap } from '../../src/genes/lru-map.js'

t.test('holds at most maxEntries, dropping the least recently used first', async (t) => {
  const lru = new LruMap<string, number>(2)
  lru.set('a', 1)
  lru.set('b', 2)
  t.equal(lru.get('a'), 1, 'a read makes a the most recently used')
  lru.set('c', 3)
  t.same([lru.get('a'), lru.get('b'), lru.get('c')], [1, undefined, 3], 'b, the least recently used, was dropped')
  lru.set('c', 4)
  t.same([lru.size, lru.get('a'), lru.get('c')], [2, 1, 4], 'setting a key it holds replaces it and drops nothing')
})

t.test('a bound of 0 keeps nothing; clear empties it', async (t) => {
  const none = new LruMap<string, number>(0)
  none.set('a', 1)
  t.equal(none.size, 0)
  const lru = new LruMap<string, number>(3)
  lru.set('a', 1)
  lru.clear()
  t.same([lru.size, lru.get('a')], [0, undefined])
})
