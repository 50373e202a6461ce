// BoundedMemo (src/common/bounded-memo.ts): computes once per kept key, keeps at most `limit` entries
// (oldest evicted first), never keeps keys over the length bound, and returns computed values either way.
import t from 'tap';
import { BoundedMemo } from '../../../src/common/bounded-memo.js';

t.test('computes once per kept key and evicts the oldest entry first', async (t) => {
  const calls: string[] = [];
  const memo = new BoundedMemo((k: string) => {
    calls.push(k);
    return k.toUpperCase();
  }, 3);
  t.equal(memo.get('a'), 'A');
  t.equal(memo.get('a'), 'A');
  t.same(calls, ['a'], 'a hit does not compute again');
  memo.get('b');
  memo.get('c');
  t.equal(memo.size, 3);
  memo.get('d');
  t.equal(memo.size, 3, 'never more than the limit');
  memo.get('b');
  t.same(calls, ['a', 'b', 'c', 'd'], 'b is still kept');
  memo.get('a');
  t.same(calls, ['a', 'b', 'c', 'd', 'a'], 'a, the oldest, was evicted and is computed again');
});

t.test('keys over the length bound are computed every time and never kept', async (t) => {
  let n = 0;
  const memo = new BoundedMemo((k: string) => `${k.length}:${++n}`, 8, 4);
  t.equal(memo.get('12345'), '5:1');
  t.equal(memo.get('12345'), '5:2');
  t.equal(memo.size, 0);
  t.equal(memo.get('1234'), '4:3');
  t.equal(memo.get('1234'), '4:3');
  t.equal(memo.size, 1);
});

t.test('a flood of distinct keys keeps memory bounded', async (t) => {
  const memo = new BoundedMemo((k: string) => k.length, 256, 64);
  for (let i = 0; i < 100_000; i++) memo.get(`key-${i}`);
  t.equal(memo.size, 256);
  t.equal(memo.get('key-99999'), 9, 'the newest are kept');
});
