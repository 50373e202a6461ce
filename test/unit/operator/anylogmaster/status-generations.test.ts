// Status across generations and the quiet phases: a stall belongs to the generation it was reported for
// (a new spec gets a fresh progress deadline), and an object neither ready, failing nor in flight is
// Pending, Degraded only when Ready is False.
import t from 'tap';
import { condition, type StepOutcomes } from '../../../../src/operator/anylogmaster/outcomes.js';
import { NOW, run, waitingPod } from './fixtures/status-run.js';

function stalledAt(generation: number) {
  return {
    observedGeneration: generation,
    conditions: [
      {
        type: 'Stalled',
        status: 'True',
        reason: 'ProgressDeadlineExceeded',
        message: 'no progress within 600s',
        observedGeneration: generation,
        lastTransitionTime: '2026-11-26T12:00:00Z',
      },
    ],
  };
}

t.test('a deadline stall of an older generation is not carried into a new one', async (t) => {
  const s = run(waitingPod, { generation: 4, previous: stalledAt(3) });
  t.equal(s.stalled, undefined, 'generation 4 has its own deadline');
  t.equal(
    s.conditions.find((c) => c.type === 'Stalled'),
    undefined,
  );
  t.match(
    s.conditions.find((c) => c.type === 'Reconciling'),
    { status: 'True', reason: 'RollingOut' },
  );
  t.equal(s.reconciling?.sinceMs, NOW, 'the deadline clock starts now');
  t.equal(s.phase, 'Provisioning');
  const same = run(waitingPod, { generation: 3, previous: stalledAt(3) });
  t.match(same.stalled, { reason: 'ProgressDeadlineExceeded' }, 'the same generation stays stalled');
  t.equal(same.phase, 'Failed');
});

t.test('not ready, not in flight, Ready Unknown: Pending; Ready False: Degraded', async (t) => {
  const settled = { observedGeneration: 3, conditions: [] };
  const unknown: StepOutcomes = {
    ledger: condition('True', 'Embedded', 'SQLite'),
    node: condition('Unknown', 'NotChecked', 'not checked yet'),
    policy: condition('Unknown', 'NotChecked', 'not checked yet'),
    processes: condition('Unknown', 'NotChecked', 'not checked yet'),
    rolledOut: true,
  };
  const pending = run(unknown, { previous: settled });
  t.match(
    pending.conditions.find((c) => c.type === 'Ready'),
    { status: 'Unknown' },
  );
  t.equal(pending.reconciling, undefined);
  t.equal(pending.phase, 'Pending');
  const down: StepOutcomes = {
    ...unknown,
    node: condition('False', 'NodeUnreachable', 'connection refused'),
  };
  const degraded = run(down, { previous: settled });
  t.match(
    degraded.conditions.find((c) => c.type === 'Ready'),
    { status: 'False' },
  );
  t.equal(degraded.phase, 'Degraded');
});
