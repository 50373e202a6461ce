// Liveness against a blocked event loop: the lag monitor sees a loop that is stuck right now (not only
// after the next tick) measured against its own interval, and the /livez check fails while it lags.
import t from 'tap';
import { LoopLagMonitor, livenessCheck } from '../../../../src/operator/framework/health.js';

/** Keeps the event loop busy for `ms` (no timer can fire meanwhile). */
function blockLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: the point is that nothing else runs
  }
}

/** Resolves once `condition` holds, polling on the event loop; rejects after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('a loop blocked right now shows its lag before the next tick runs', async (t) => {
  const m = new LoopLagMonitor(50);
  t.teardown(() => m.stop());
  blockLoop(400);
  // no tick could run during the block: the lag is the time since the last tick minus the interval
  t.ok(m.lagMs() >= 300, `lag ${m.lagMs()} ms while blocked 400 ms on a 50 ms interval`);
});

t.test('the lag of a blocked tick is kept until the next tick, then it recovers', async (t) => {
  const m = new LoopLagMonitor(50);
  t.teardown(() => m.stop());
  await new Promise((r) => setTimeout(r, 120));
  blockLoop(400);
  await waitFor(() => m.lagMs() >= 300, 2000);
  await waitFor(() => m.lagMs() < 200, 5000);
  t.pass('lag seen, then cleared by the next regular ticks');
});

t.test('liveness fails while the loop lags past the limit, otherwise it is the other check', async (t) => {
  const m = new LoopLagMonitor(50);
  t.teardown(() => m.stop());
  let other = { ok: true } as { ok: boolean; reason?: string };
  const check = livenessCheck(
    () => m.lagMs(),
    250,
    () => other,
  );
  await waitFor(() => check().ok, 5000);
  blockLoop(500);
  t.same(check(), { ok: false, reason: 'event loop blocked' }, 'blocked loop: not live');
  await waitFor(() => check().ok, 5000);
  other = { ok: false, reason: 'watch stalled' };
  t.same(check(), { ok: false, reason: 'watch stalled' }, 'otherwise the other check decides');
  t.same(
    livenessCheck(
      () => 5000,
      5000,
      () => ({ ok: true }),
    )(),
    { ok: false, reason: 'event loop blocked' },
  );
  t.same(
    livenessCheck(
      () => 4999,
      5000,
      () => ({ ok: true }),
    )(),
    { ok: true },
  );
});

t.test('after a blocked tick has run, the lag it measured is reported', async (t) => {
  const m = new LoopLagMonitor(50);
  t.teardown(() => m.stop());
  await new Promise((r) => setTimeout(r, 120));
  blockLoop(400);
  // the overdue interval fires before this later timer, so the tick has run and reset its start
  await new Promise((r) => setTimeout(r, 0));
  t.ok(m.lagMs() >= 300, `lag ${m.lagMs()} ms kept from the blocked tick`);
});
