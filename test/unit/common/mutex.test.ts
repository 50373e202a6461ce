// The node's FIFO mutex: holders run one at a time in call order, `locked` tells whether anyone holds or
// waits, a failing holder still releases, and tryRun skips instead of queueing.
import t from 'tap';
import { Mutex } from '../../../src/common/mutex.js';

/** A promise with its resolver, to hold a critical section open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

t.test('holders run one at a time, in the order they called run', async (t) => {
  const mutex = new Mutex();
  const events: string[] = [];
  const first = gate();
  const a = mutex.run(async () => {
    events.push('a start');
    await first.promise;
    events.push('a end');
    return 'a';
  });
  const b = mutex.run(async () => {
    events.push('b');
    return 'b';
  });
  const c = mutex.run(async () => {
    events.push('c');
    return 'c';
  });
  await new Promise((resolve) => setImmediate(resolve));
  t.same(events, ['a start'], 'b and c wait while a holds the lock');
  first.open();
  t.same(await Promise.all([a, b, c]), ['a', 'b', 'c']);
  t.same(events, ['a start', 'a end', 'b', 'c']);
});

t.test('locked is true while a holder runs or waits and false once all finished', async (t) => {
  const mutex = new Mutex();
  t.equal(mutex.locked, false);
  const hold = gate();
  const a = mutex.run(() => hold.promise);
  const b = mutex.run(async () => undefined);
  t.equal(mutex.locked, true);
  hold.open();
  await a;
  await b;
  t.equal(mutex.locked, false);
});

t.test('a holder that throws passes its error on and still releases the lock', async (t) => {
  const mutex = new Mutex();
  const failing = mutex.run(async () => {
    throw new Error('boom');
  });
  const next = mutex.run(async () => 'ran');
  await t.rejects(failing, { message: 'boom' });
  t.equal(await next, 'ran');
  t.equal(mutex.locked, false);
});

t.test('tryRun skips while the lock is held and runs when it is free', async (t) => {
  const mutex = new Mutex();
  const hold = gate();
  const held = mutex.run(() => hold.promise);
  let called = false;
  t.equal(
    await mutex.tryRun(async () => {
      called = true;
      return 1;
    }),
    undefined,
  );
  t.equal(called, false, 'the skipped function is not called');
  hold.open();
  await held;
  t.equal(await mutex.tryRun(async () => 2), 2);
});
