// Job slots and the FIFO concurrency limiter.
import t from 'tap';
import { JobTable, JOB_SLOTS } from '../../../../src/node/tcp/jobs.js';
import { ConcurrencyLimiter, QueueFullError } from '../../../../src/node/http/limiter.js';
import { PeerError } from '../../../../src/node/tcp/errors.js';
import { realClock } from '../../../../src/common/clock.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

t.test('64 slots, ids from 1, 108 when all are busy, slots freed on completion', async (t) => {
  const table = new JobTable();
  const jobs = Array.from({ length: JOB_SLOTS }, () => table.allocate(['a:1'], 10_000, realClock));
  t.same(
    jobs.slice(0, 3).map((j) => [j.location, j.id]),
    [
      [0, 1],
      [1, 2],
      [2, 3],
    ],
  );
  const err = t.throws(() => table.allocate(['a:1'], 10_000, realClock));
  t.ok(err instanceof PeerError && err.status === STATUS.NO_RESOURCES);
  t.ok(table.deliver(5, 6, 0, { kind: 'text', text: 'hi', code: STATUS.SUCCESS }));
  t.notOk(
    table.deliver(5, 6, 0, { kind: 'text', text: 'again', code: STATUS.SUCCESS }),
    'slot freed: later replies dropped',
  );
  t.notOk(table.deliver(7, 99, 0, { kind: 'text', text: 'x', code: STATUS.SUCCESS }), 'wrong id dropped');
  const next = table.allocate(['a:1'], 10_000, realClock);
  t.same([next.location, next.id], [5, 65]);
  for (const j of [...jobs, next]) j.finish();
  t.equal(table.busy, 0);
});

t.test('a job ends at its timeout with silent receivers marked timeout', async (t) => {
  const table = new JobTable();
  // a clock whose timers keep the test process alive (realClock's are unref'd)
  const clock = {
    ...realClock,
    setTimer: (ms: number, fn: () => void) => {
      const h = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(h) };
    },
  };
  const job = table.allocate(['a:1', 'b:2'], 50, clock);
  table.deliver(job.location, job.id, 1, { kind: 'json', text: '{}', code: STATUS.SUCCESS });
  await job.finished;
  t.same(
    job.results().map((r) => [r.destination, r.kind]),
    [
      ['a:1', 'timeout'],
      ['b:2', 'json'],
    ],
  );
});

t.test('limiter: FIFO order, limit honoured, queue cap', async (t) => {
  const limiter = new ConcurrencyLimiter(2, 3);
  const order: number[] = [];
  let running = 0;
  let peak = 0;
  const task = (i: number) => async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 10));
    order.push(i);
    running--;
    return i;
  };
  const runs = [0, 1, 2, 3, 4].map((i) => limiter.run(task(i)));
  await t.rejects(limiter.run(task(5)), QueueFullError);
  t.same(await Promise.all(runs), [0, 1, 2, 3, 4]);
  t.equal(peak, 2);
  t.same(order.slice(2), [2, 3, 4], 'waiting tasks run in arrival order');
  t.equal(limiter.active, 0);
});
