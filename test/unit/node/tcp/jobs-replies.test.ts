// Job bookkeeping seen by a caller: which receiver replies are stored, when a job ends, how busy the
// table is, jobs without destinations, the error when every slot is taken and the wrap of the job id.
import t from 'tap';
import { Job, JobTable, JOB_SLOTS } from '../../../../src/node/tcp/jobs.js';
import { PeerError } from '../../../../src/node/tcp/errors.js';
import { realClock } from '../../../../src/common/clock.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

const reply = (text: string) => ({ kind: 'text' as const, text, code: STATUS.SUCCESS });

/** Resolves true when the promise settled before the next macrotask. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
}

t.test('only in-range receivers are stored, and the first reply of each wins', async (t) => {
  const job = new Job(0, 1, ['a:1', 'b:2']);
  t.notOk(job.complete(-1, reply('neg')), 'negative receiver dropped');
  t.notOk(job.complete(2, reply('past')), 'receiver past the last destination dropped');
  t.ok(job.complete(0, reply('first')));
  t.notOk(job.complete(0, reply('second')), 'second reply of a receiver dropped');
  t.notOk(await settled(job.finished), 'one receiver still silent: the job goes on');
  t.ok(job.complete(1, reply('b')));
  t.ok(await settled(job.finished), 'every receiver replied: the job ends');
  t.same(
    job.results().map((r) => [r.destination, r.text]),
    [
      ['a:1', 'first'],
      ['b:2', 'b'],
    ],
  );
});

t.test('a silent receiver reports an empty timeout reply', async (t) => {
  const job = new Job(0, 1, ['a:1']);
  job.finish();
  t.same(job.results(), [{ destination: 'a:1', kind: 'timeout', text: '', code: STATUS.TIMEOUT }]);
});

t.test('busy counts the jobs in flight', async (t) => {
  const table = new JobTable();
  const a = table.allocate(['a:1'], 10_000, realClock);
  const b = table.allocate(['a:1', 'b:2'], 10_000, realClock);
  t.equal(table.busy, 2);
  a.finish();
  t.equal(table.busy, 1);
  b.finish();
  t.equal(table.busy, 0);
});

t.test('a job without destinations ends at once and takes no slot', async (t) => {
  const table = new JobTable();
  const job = table.allocate([], 10_000, realClock);
  t.ok(await settled(job.finished));
  t.equal(table.busy, 0);
  t.same(job.results(), []);
});

t.test('every slot busy: 108 with its detail', async (t) => {
  const table = new JobTable();
  const jobs = Array.from({ length: JOB_SLOTS }, () => table.allocate(['a:1'], 10_000, realClock));
  const err = t.throws(() => table.allocate(['a:1'], 10_000, realClock));
  t.ok(err instanceof PeerError);
  t.equal((err as PeerError).status, STATUS.NO_RESOURCES);
  t.equal((err as PeerError).detail, 'All job slots are busy');
  for (const j of jobs) j.finish();
});

t.test('the job id wraps to 1 after 2^32 - 1', async (t) => {
  const table = new JobTable();
  // reaching 2^32 - 1 by allocation would take billions of jobs; start the counter just below instead
  Reflect.set(table, 'nextId', 0xffff_fffe);
  const ids = Array.from({ length: 3 }, () => table.allocate(['a:1'], 10_000, realClock));
  t.same(
    ids.map((j) => j.id),
    [0xffff_fffe, 0xffff_ffff, 1],
  );
  for (const j of ids) j.finish();
});
