import t from 'tap';
import { RateLimiter, TokenBucket } from '../../../../src/operator/framework/rate-limiter.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const mid = (): number => 0.5; // jitter source at the centre: no jitter

t.test('per-key backoff starts at 1 s, doubles and caps at 5 min', async (t) => {
  const rl = new RateLimiter({ clock: new FakeClock(), random: mid });
  const delays = Array.from({ length: 12 }, () => rl.when('k'));
  t.same(delays.slice(0, 6), [1000, 2000, 4000, 8000, 16_000, 32_000]);
  t.equal(delays[8], 256_000);
  t.equal(delays[9], 300_000, 'capped');
  t.equal(delays[11], 300_000);
  t.equal(rl.retries('k'), 12);
});

t.test('keys back off independently and forget resets one key', async (t) => {
  const rl = new RateLimiter({ clock: new FakeClock(), random: mid });
  rl.when('a');
  rl.when('a');
  t.equal(rl.when('b'), 1000);
  t.equal(rl.when('a'), 4000);
  rl.forget('a');
  t.equal(rl.retries('a'), 0);
  t.equal(rl.when('a'), 1000, 'success resets the backoff');
  t.equal(rl.when('b'), 2000, 'other key untouched');
});

t.test('jitter stays within ±10 %', async (t) => {
  const low = new RateLimiter({ clock: new FakeClock(), random: () => 0 });
  const high = new RateLimiter({ clock: new FakeClock(), random: () => 0.999999 });
  t.equal(low.when('k'), 900);
  t.equal(high.when('k'), 1100);
});

t.test('token bucket: burst 100 free, then 10 per second', async (t) => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(clock, 10, 100);
  for (let i = 0; i < 100; i += 1) t.equal(bucket.reserve(), 0);
  t.equal(bucket.reserve(), 100, '101st waits one token interval');
  t.equal(bucket.reserve(), 200);
  await clock.advance(1000);
  t.equal(bucket.reserve(), 0, 'tokens refilled over a second (debt of 2 repaid, 7 left)');
});

t.test('the larger of per-key backoff and bucket delay wins', async (t) => {
  const clock = new FakeClock();
  const rl = new RateLimiter({ clock, random: mid, burst: 2, qps: 0.1 });
  t.equal(rl.when('a'), 1000);
  t.equal(rl.when('b'), 1000);
  t.equal(rl.when('c'), 10_000, 'bucket empty: 10 s for the next token beats 1 s backoff');
});
