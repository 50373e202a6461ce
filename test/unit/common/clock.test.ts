// The production clock: sleeps resolve after their time and reject with the abort reason (an Error, or a
// plain "aborted" one), timers fire once and can be cancelled, and both time sources count milliseconds.
import t from 'tap';
import { getEventListeners } from 'node:events';
import { spawnSync } from 'node:child_process';
import { realClock } from '../../../src/common/clock.js';

t.test('now is wall-clock milliseconds; monotonic counts milliseconds and never goes back', async (t) => {
  const before = Date.now();
  const now = realClock.now();
  t.ok(now >= before && now <= Date.now());
  // Longer than a second, so the seconds part of the monotonic clock counts too.
  const m0 = realClock.monotonic();
  await new Promise((resolve) => setTimeout(resolve, 1050));
  const elapsed = realClock.monotonic() - m0;
  t.ok(elapsed >= 1040 && elapsed < 10_000, `1050 ms measured as ${elapsed} ms`);
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

t.test('a sleep leaves no listener on its signal, whether it finished or was aborted', async (t) => {
  const finished = new AbortController();
  await realClock.sleep(5, finished.signal);
  t.equal(getEventListeners(finished.signal, 'abort').length, 0, 'removed when the sleep finished');
  const aborted = new AbortController();
  const sleeping = realClock.sleep(10_000, aborted.signal);
  t.equal(getEventListeners(aborted.signal, 'abort').length, 1, 'listening while it sleeps');
  aborted.abort(new Error('stop'));
  await t.rejects(sleeping, { message: 'stop' });
  t.equal(getEventListeners(aborted.signal, 'abort').length, 0, 'gone once the abort ran it');
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

/** Runs `body` in a fresh Node.js process with `realClock` imported; its exit status and output. */
function runWithClock(body: string): { status: number | null; stdout: string; stderr: string } {
  const module = JSON.stringify(new URL('../../../src/common/clock.ts', import.meta.url).href);
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `import { realClock } from ${module};\n${body}`],
    { encoding: 'utf8', timeout: 30_000 },
  );
}

t.test('a pending timer does not keep the process alive', async (t) => {
  const run = runWithClock(`realClock.setTimer(60000, () => console.log('fired'));`);
  t.equal(run.status, 0, run.stderr);
  t.equal(run.stdout, '');
});

t.test('an aborted sleep does not keep the process alive', async (t) => {
  const run = runWithClock(
    `const c = new AbortController();
     realClock.sleep(60000, c.signal).catch((e) => console.log('rejected: ' + e.message));
     setTimeout(() => c.abort(new Error('stop')), 10);`,
  );
  t.equal(run.status, 0, run.stderr);
  t.equal(run.stdout, 'rejected: stop\n');
});
