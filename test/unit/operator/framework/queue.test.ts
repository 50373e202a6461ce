import t from 'tap';
import { WorkQueue } from '../../../../src/operator/framework/queue.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

t.test('coalesces repeated adds of a waiting key', async (t) => {
  const q = new WorkQueue(new FakeClock());
  q.add('ns/a');
  q.add('ns/a');
  q.add('ns/b');
  q.add('ns/a');
  t.equal(q.length, 2);
  t.equal(await q.get(), 'ns/a');
  t.equal(await q.get(), 'ns/b');
  t.equal(q.length, 0);
});

t.test('never hands one key to two workers; an add during processing requeues after done', async (t) => {
  const q = new WorkQueue(new FakeClock());
  q.add('ns/a');
  const first = await q.get();
  t.equal(first, 'ns/a');
  q.add('ns/a');
  t.equal(q.length, 0, 'key being processed is not queued again');
  let second: string | undefined;
  const waiting = q.get().then((k) => (second = k));
  await new Promise((r) => setImmediate(r));
  t.equal(second, undefined, 'second worker waits');
  q.done('ns/a');
  await waiting;
  t.equal(second, 'ns/a', 'requeued after done');
  t.ok(q.isProcessing('ns/a'));
  q.done('ns/a');
  t.notOk(q.isProcessing('ns/a'));
});

t.test('done without a later add does not requeue', async (t) => {
  const q = new WorkQueue(new FakeClock());
  q.add('k');
  await q.get();
  q.done('k');
  t.equal(q.length, 0);
});

t.test('delayed adds fire after their delay; the earliest pending delay wins', async (t) => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  q.addAfter('k', 5000);
  q.addAfter('k', 1000);
  q.addAfter('k', 9000);
  t.equal(q.delayedCount, 1);
  await clock.advance(999);
  t.equal(q.length, 0);
  await clock.advance(1);
  t.equal(q.length, 1);
  t.equal(q.delayedCount, 0);
  await clock.advance(10_000);
  t.equal(q.length, 1, 'the later delays were replaced, not kept');
});

t.test('addAfter with zero delay adds at once; forgetDelayed cancels', async (t) => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  q.addAfter('a', 0);
  t.equal(q.length, 1);
  q.addAfter('b', 100);
  q.forgetDelayed('b');
  await clock.advance(200);
  t.equal(q.length, 1);
});

t.test('a waiting worker receives a key added later', async (t) => {
  const q = new WorkQueue(new FakeClock());
  const got = q.get();
  q.add('late');
  t.equal(await got, 'late');
});

t.test('shutDown releases waiting workers and stops intake; drain waits for in-flight keys', async (t) => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  q.add('busy');
  t.equal(await q.get(), 'busy');
  const idle = q.get();
  q.addAfter('later', 100);
  let drained = false;
  const draining = q.drain().then(() => (drained = true));
  t.equal(await idle, undefined, 'idle worker released');
  q.add('ignored');
  t.equal(q.length, 0, 'no intake after shutdown');
  await clock.advance(200);
  t.equal(q.length, 0, 'delayed adds dropped');
  await new Promise((r) => setImmediate(r));
  t.notOk(drained, 'drain waits for the in-flight key');
  q.done('busy');
  await draining;
  t.ok(drained);
  t.equal(await q.get(), undefined);
});

t.test('reports queue and work durations and in-flight time', async (t) => {
  const clock = new FakeClock();
  const waited: number[] = [];
  const worked: number[] = [];
  let adds = 0;
  const q = new WorkQueue(clock, {
    onAdd: () => adds++,
    onDequeue: (s) => waited.push(s),
    onDone: (s) => worked.push(s),
  });
  q.add('k');
  await clock.advance(2000);
  await q.get();
  await clock.advance(3000);
  t.same(q.inFlightSeconds(), { total: 3, longest: 3 });
  q.done('k');
  t.equal(adds, 1);
  t.same(waited, [2]);
  t.same(worked, [3]);
  t.equal(q.processingCount, 0);
});
