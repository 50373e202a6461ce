import t from 'tap';
import { backoffDelay, applyJitter } from '../../../src/common/backoff.js';

t.test('doubles from the initial delay up to the cap', async (t) => {
  const opts = { initialMs: 1000, maxMs: 5000 };
  t.same(
    [0, 1, 2, 3, 4].map((a) => backoffDelay(a, opts)),
    [1000, 2000, 4000, 5000, 5000],
  );
});

t.test('jitter stays within ±fraction', async (t) => {
  t.equal(
    applyJitter(1000, 0.1, () => 0),
    900,
  );
  t.equal(
    applyJitter(1000, 0.1, () => 1),
    1100,
  );
  t.equal(
    applyJitter(1000, 0, () => 1),
    1000,
  );
});
