// The production clock: sleeps resolve after their time and reject with the abort reason (an Error, or a
// plain "aborted" one), timers fire once and can be cancelled, and both time sources count milliseconds.
import t from 'tap';
import { realClock } from '../../../src/common/clock.js';

t.test('now is wall-clock milliseconds; monotonic counts milliseconds and never goes back', async (t) => {
  const before = Date.now();
  const now = realClock.now();
  t.ok(now >= before && now <= Date.now());
  const m0 = realClock.monotonic();
  await new Promise((resolve) => setTimeout(resolve, 30));
  const elapsed = realClock.monotonic() - m0;
  t.ok(elapsed >= 25 && elapsed < 2000, `30 ms measured as ${elapsed} ms`);
});

t.test('sleep resolves after the delay', async (t) => {
  const start = Date.now();
  await realClock.sleep(30);
  t.ok(Date.now() - start >= 25);
});

t.test('sleep on an aborted signal rejects at once with the reason', async (t) => {
  const reason = new Error('stopping');
  await t.rejects(realClock.sleep(10_000, AbortSignal.abort(reason)), reason);
  await t.rejects(realClock.sleep(10_000, AbortSignal.abort('not an error')), { message: 'aborted' });
});

t.test('aborting during a sleep rejects with the reason and cancels the timer', async (t) => {
  const controller = new AbortController();
  const start = Date.now();
  const sleeping = realClock.sleep(10_000, controller.signal);
  setTimeout(() => controller.abort(new Error('shutdown')), 10);
  await t.rejects(sleeping, { message: 'shutdown' });
  t.ok(Date.now() - start < 5000);
  const other = new AbortController();
  const second = realClock.sleep(10_000, other.signal);
  setTimeout(() => other.abort('plain'), 10);
  await t.rejects(second, { message: 'aborted' });
});

t.test('a finished sleep leaves no listener on its signal', async (t) => {
  const controller = new AbortController();
  let added = 0;
  let removed = 0;
  const signal = controller.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<typeof add>) => {
    added += 1;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    removed += 1;
    remove(...args);
  };
  await realClock.sleep(5, signal);
  t.equal(added, 1);
  t.equal(removed, 1);
  controller.abort(new Error('late'));
});

t.test('setTimer calls its function once after the delay; cancel stops it', async (t) => {
  let fired = 0;
  realClock.setTimer(10, () => {
    fired += 1;
  });
  let cancelled = 0;
  const handle = realClock.setTimer(10, () => {
    cancelled += 1;
  });
  handle.cancel();
  await new Promise((resolve) => setTimeout(resolve, 60));
  t.equal(fired, 1);
  t.equal(cancelled, 0);
});

t.test('a pending timer does not keep the process alive', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const start = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { realClock } from ${JSON.stringify(new URL('../../../src/common/clock.ts', import.meta.url).href)};
       realClock.setTimer(60000, () => console.log('fired'));`,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  t.equal(run.status, 0, run.stderr);
  t.equal(run.stdout, '');
  t.ok(Date.now() - start < 30_000);
});
