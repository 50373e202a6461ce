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

t.test('the factor is configurable and a negative attempt counts as the first', async (t) => {
  const opts = { initialMs: 100, maxMs: 100_000, factor: 3 };
  t.same(
    [-2, 0, 1, 2].map((a) => backoffDelay(a, opts)),
    [100, 100, 300, 900],
  );
});

t.test('backoffDelay jitters with the given fraction and random source', async (t) => {
  const opts = { initialMs: 1000, maxMs: 5000, jitter: 0.5 };
  t.equal(backoffDelay(0, { ...opts, random: () => 0 }), 500);
  t.equal(backoffDelay(0, { ...opts, random: () => 1 }), 1500);
  t.equal(backoffDelay(3, { ...opts, random: () => 0.5 }), 5000, 'the jitter is applied after the cap');
  const spread = new Set(Array.from({ length: 200 }, () => backoffDelay(0, opts)));
  t.ok(spread.size > 1, 'without a random source, Math.random spreads the delays');
  for (const d of spread) t.ok(d >= 500 && d <= 1500);
});

t.test('applyJitter rounds to whole milliseconds and never goes below zero', async (t) => {
  t.equal(
    applyJitter(1000, 0.1, () => 0.25),
    950,
  );
  t.equal(
    applyJitter(10, 0.33, () => 0.5),
    10,
  );
  t.equal(
    applyJitter(10, 0.25, () => 0.1),
    8,
    '7.5 + 0.5 rounds to 8',
  );
  t.equal(
    applyJitter(100, 3, () => 0),
    0,
    'a spread over the base is clamped at zero',
  );
  t.equal(
    applyJitter(100, -1, () => 0),
    100,
    'a negative jitter is none',
  );
  t.equal(
    applyJitter(7593.75, 0, () => 1),
    7593.75,
    'without jitter the delay is returned untouched',
  );
  const values = new Set(Array.from({ length: 200 }, () => applyJitter(1000, 0.5)));
  t.ok(values.size > 1, 'the default random source is Math.random');
});
