// Status computation at its edges: the messages of deletion and of a generation in flight without a
// waiting step, the progress deadline at exactly its length, a stall after every domain step succeeded,
// unreached steps outside deletion, and a Reconciling condition of an older generation.
import t from 'tap';
import { parseStatus } from '../../../../src/operator/anylogmaster/observed-status.js';
import { condition } from '../../../../src/operator/anylogmaster/outcomes.js';
import { isInFlight } from '../../../../src/operator/anylogmaster/status.js';
import { cond, NOW, ok, previousOf, rollingOutSince, run, waitingPod } from './fixtures/status-run.js';

t.test('a deletion pass says the object is being deleted and cleanup is running', async (t) => {
  const s = run({ rolledOut: false, deleting: true }, { previous: previousOf(run(ok)) });
  t.match(cond(s, 'Ready'), { status: 'False', reason: 'Deleting', message: 'the object is being deleted' });
  t.match(cond(s, 'Reconciling'), { status: 'True', reason: 'Deleting', message: 'running cleanup' });
});

t.test('a generation in flight without a waiting step reconciles with a default message', async (t) => {
  const s = run(
    { ...ok, processes: condition('False', 'ProcessesNotRunning', 'not running: Scheduler') },
    { previous: { observedGeneration: 2, conditions: [] } },
  );
  t.match(cond(s, 'Reconciling'), {
    status: 'True',
    reason: 'Progressing',
    message: 'reconciling the current generation',
  });
  t.match(cond(s, 'Ready'), { status: 'False', reason: 'ProcessesNotRunning' });
});

t.test('the progress deadline is exceeded only after its full length', async (t) => {
  const previous = rollingOutSince('2026-11-26T12:30:24Z');
  const atDeadline = run(waitingPod, { previous });
  t.match(cond(atDeadline, 'Reconciling'), { status: 'True', reason: 'RollingOut' }, 'exactly 600 s');
  t.equal(cond(atDeadline, 'Stalled'), undefined);
  const past = run(waitingPod, { previous, nowMs: NOW + 1 });
  t.match(cond(past, 'Stalled'), { status: 'True', reason: 'ProgressDeadlineExceeded' }, '600.001 s');
  t.equal(cond(past, 'Reconciling'), undefined);
});

t.test('a stall after every domain step succeeded is not Ready', async (t) => {
  const s = run({
    ...ok,
    stalled: { reason: 'ResourceConflict', message: 'CronJob anylog/minimal-backup is not ours' },
  });
  t.equal(s.ready, false);
  t.match(cond(s, 'Ready'), {
    status: 'False',
    reason: 'ResourceConflict',
    message: 'CronJob anylog/minimal-backup is not ours',
  });
  t.match(cond(s, 'Stalled'), { status: 'True', reason: 'ResourceConflict' });
  t.equal(s.phase, 'Failed');
});

t.test('outside deletion an unreached step is not checked, whatever it was before', async (t) => {
  const s = run(
    { rolledOut: false, stalled: { reason: 'InvalidSpec', message: 'spec.network.tcpPort: out of range' } },
    { generation: 4, previous: previousOf(run(ok)) },
  );
  t.match(cond(s, 'LedgerReady'), {
    status: 'False',
    reason: 'WaitingForLedger',
    message: 'not checked yet',
  });
  t.match(cond(s, 'NodeReachable'), { status: 'Unknown', reason: 'NotChecked', message: 'not checked yet' });
  t.match(cond(s, 'PolicyPosted'), { status: 'Unknown', reason: 'NotChecked', message: 'not checked yet' });
  t.match(cond(s, 'ProcessesHealthy'), {
    status: 'Unknown',
    reason: 'NotChecked',
    message: 'not checked yet',
  });
});

t.test(
  'a Reconciling condition of an older generation does not put a settled generation in flight',
  async (t) => {
    const settled = parseStatus({
      observedGeneration: 3,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Ready', message: 'up', observedGeneration: 3 },
        { type: 'Reconciling', status: 'True', reason: 'RollingOut', message: 'x', observedGeneration: 2 },
      ],
    }).status;
    t.equal(isInFlight(3, settled, false), false);
  },
);
