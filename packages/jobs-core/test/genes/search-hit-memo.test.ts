import t from 'tap'
import { hitKey, SearchHitMemo } from '../../src/genes/search-hit-memo.js'

t.test('keeps one version\'s hits, least recently used dropped first', async (t) => {
  const memo = new SearchHitMemo<string>(2)
  memo.remember('v1', hitKey(1, 'symbol', 'a'), 'A')
  memo.remember('v1', hitKey(2, 'symbol', 'b'), 'B')
  t.equal(memo.get('v1', hitKey(1, 'symbol', 'a')), 'A', 'a hit makes A the most recently used')
  t.equal(memo.get('v2', hitKey(1, 'symbol', 'a')), undefined, 'another version has no hits')
  memo.remember('v1', hitKey(3, 'symbol', 'c'), 'C')
  t.equal(memo.size, 2, 'at most maxEntries')
  t.equal(memo.get('v1', hitKey(2, 'symbol', 'b')), undefined, 'B, least recently used, went')
  t.equal(memo.get('v1', hitKey(1, 'symbol', 'a')), 'A')
  t.equal(memo.get('v1', hitKey(1, 'alias', 'a')), undefined, 'the same gene matched another way is another hit')
  memo.remember('v2', hitKey(1, 'symbol', 'a'), 'A2')
  t.equal(memo.size, 1, 'a hit of another version starts afresh')
  t.equal(memo.get('v1', hitKey(3, 'symbol', 'c')), undefined)
  t.equal(memo.get('v2', hitKey(1, 'symbol', 'a')), 'A2')
})

t.test('maxEntries 0 keeps nothing', async (t) => {
  const memo = new SearchHitMemo<string>(0)
  memo.remember('v1', hitKey(1, 'symbol', 'a'), 'A')
  t.equal(memo.size, 0)
  t.equal(memo.get('v1', hitKey(1, 'symbol', 'a')), undefined)
})
