// Status computation (the status contract's rules and the phase): table tests over step outcomes, with the
// generation rules, transition times, mirroring order, progress deadline and abnormal-true conditions.
import t, { type Test } from 'tap';
import { CONDITION_REASONS, type ConditionType } from '../../../../src/api/conditions.js';
import { parseStatus } from '../../../../src/operator/anylogmaster/observed-status.js';
import { condition } from '../../../../src/operator/anylogmaster/outcomes.js';
import {
  initialConditions,
  isInFlight,
  type ComputedStatus,
} from '../../../../src/operator/anylogmaster/status.js';
import { cond, NOW, ok, previousOf, rollingOutSince, run, waitingPod } from './fixtures/status-run.js';

const T0 = '2026-11-26T12:00:00Z';

const stored = (raw: unknown) => parseStatus(raw).status;

/** Invariants that hold for every computed status. */
function checkInvariants(t: Test, s: ComputedStatus, generation: number): void {
  const types = s.conditions.map((c) => c.type);
  t.ok(types.includes('Ready'), 'Ready is always present');
  t.notOk(types.includes('Reconciling') && types.includes('Stalled'), 'never both Reconciling and Stalled');
  for (const c of s.conditions) {
    t.equal(c.observedGeneration, generation, `${c.type} carries the pass generation`);
    t.ok(c.lastTransitionTime !== undefined, `${c.type} has a transition time`);
    if (c.type === 'Reconciling' || c.type === 'Stalled')
      t.equal(c.status, 'True', `${c.type} only when True`);
    const allowed = (
      CONDITION_REASONS[c.type as ConditionType] as Record<string, readonly string[] | undefined>
    )[c.status];
    t.ok(allowed?.includes(c.reason), `${c.type}=${c.status} reason ${c.reason} is allowed`);
  }
  const ready = cond(s, 'Ready');
  if (ready?.status === 'True') {
    t.equal(s.observedGeneration, generation, 'Ready=True only with a current root observedGeneration');
    t.notOk(types.includes('Reconciling') || types.includes('Stalled'));
  }
}

t.test(
  'first pass waiting for the pod: Reconciling, Ready mirrors NodeReachable, root generation unset',
  async (t) => {
    const s = run(waitingPod);
    checkInvariants(t, s, 3);
    t.equal(s.observedGeneration, undefined);
    t.equal(s.phase, 'Provisioning');
    t.match(cond(s, 'Reconciling'), { status: 'True', reason: 'RollingOut' });
    t.match(cond(s, 'Ready'), {
      status: 'False',
      reason: 'WaitingForPod',
      message: 'pod master-0 is not Ready',
    });
    t.match(cond(s, 'ProcessesHealthy'), { status: 'Unknown', reason: 'NotChecked' });
    t.equal(cond(s, 'Stalled'), undefined);
  },
);

t.test('everything True and rolled out: Ready=True, root generation current, phase Running', async (t) => {
  const s = run(ok);
  checkInvariants(t, s, 3);
  t.equal(s.observedGeneration, 3);
  t.equal(s.phase, 'Running');
  t.ok(s.ready);
  t.match(cond(s, 'Ready'), { status: 'True', reason: 'Ready' });
  t.equal(cond(s, 'Reconciling'), undefined);
});

t.test('all domain conditions True but not rolled out: not Ready', async (t) => {
  const s = run({ ...ok, rolledOut: false, waiting: { reason: 'RollingOut', message: 'rolling' } });
  checkInvariants(t, s, 3);
  t.notOk(s.ready);
  t.match(cond(s, 'Ready'), { status: 'Unknown', reason: 'RollingOut' });
  t.match(cond(s, 'Reconciling'), { reason: 'RollingOut' });
});

t.test(
  'runtime degradation after Ready: Ready=False with the domain reason, no Reconciling (rule 7)',
  async (t) => {
    const ready = run(ok);
    const s = run(
      { ...ok, processes: condition('False', 'ProcessesNotRunning', 'not running: Scheduler') },
      { previous: previousOf(ready), nowMs: NOW + 60_000 },
    );
    checkInvariants(t, s, 3);
    t.equal(s.phase, 'Degraded');
    t.equal(s.observedGeneration, 3);
    t.equal(cond(s, 'Reconciling'), undefined);
    t.match(cond(s, 'Ready'), {
      status: 'False',
      reason: 'ProcessesNotRunning',
      message: 'not running: Scheduler',
    });
    t.equal(
      cond(s, 'Ready')?.lastTransitionTime,
      '2026-11-26T12:41:24Z',
      'Ready flipped: new transition time',
    );
    t.equal(
      cond(s, 'LedgerReady')?.lastTransitionTime,
      '2026-11-26T12:40:24Z',
      'unchanged status keeps its time',
    );
    t.notOk(isInFlight(3, stored(previousOf(s)), false));
  },
);

t.test(
  'a new generation is in flight: Reconciling carries it, root stays at the previous one (rule 1)',
  async (t) => {
    const ready = run(ok);
    const s = run(waitingPod, { generation: 4, previous: previousOf(ready) });
    checkInvariants(t, s, 4);
    t.equal(s.observedGeneration, 3);
    t.match(cond(s, 'Reconciling'), { status: 'True', observedGeneration: 4 });
    t.ok(isInFlight(4, stored(previousOf(ready)), false));
    const done = run(ok, { generation: 4, previous: previousOf(s) });
    t.equal(done.observedGeneration, 4);
    t.equal(done.phase, 'Running');
  },
);

t.test('lastTransitionTime changes only on status flips (rule 4)', async (t) => {
  const previous = {
    observedGeneration: 2,
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'WaitingForLedger',
        message: 'x',
        observedGeneration: 2,
        lastTransitionTime: T0,
      },
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'WaitingForLedger',
        message: 'x',
        observedGeneration: 3,
        lastTransitionTime: T0,
      },
    ],
  };
  const s = run(waitingPod, { previous, progressDeadlineSeconds: 86_400 });
  t.equal(cond(s, 'Ready')?.lastTransitionTime, T0, 'reason changed, status did not');
  t.equal(cond(s, 'Reconciling')?.lastTransitionTime, T0);
  t.equal(cond(s, 'NodeReachable')?.lastTransitionTime, '2026-11-26T12:40:24Z', 'new condition gets now');
});

t.test(
  'Ready mirroring order: Stalled, then LedgerReady, NodeReachable, PolicyPosted, ProcessesHealthy, then Reconciling',
  async (t) => {
    const stalled = run({
      ledger: condition('False', 'SecretNotFound', 'Secret pg is missing'),
      node: condition('Unknown', 'NotChecked', 'n'),
      rolledOut: false,
      stalled: { reason: 'SecretNotFound', message: 'Secret pg is missing' },
    });
    t.match(cond(stalled, 'Ready'), { status: 'False', reason: 'SecretNotFound' });
    const ledgerFirst = run({
      ledger: condition('False', 'LedgerUnreachable', 'pg down'),
      node: condition('False', 'NodeUnreachable', 'no answer'),
      rolledOut: false,
      waiting: { reason: 'WaitingForLedger', message: 'pg down' },
    });
    t.match(cond(ledgerFirst, 'Ready'), { status: 'False', reason: 'WaitingForLedger', message: 'pg down' });
    const nodeUnreachable = run({
      ...ok,
      node: condition('False', 'NodeUnreachable', 'no answer'),
      policy: condition('False', 'WaitingForNode', 'w'),
    });
    t.match(cond(nodeUnreachable, 'Ready'), { reason: 'NodeUnreachable' });
    const policy = run({
      ...ok,
      policy: condition('False', 'ReplacingPolicy', 'replacing'),
      waiting: { reason: 'ReplacingPolicy', message: 'r' },
    });
    t.match(cond(policy, 'Ready'), { status: 'False', reason: 'PolicyNotPosted', message: 'replacing' });
    t.match(cond(policy, 'Reconciling'), { reason: 'ReplacingPolicy' });
    const processes = run({ ...ok, processes: condition('False', 'ProcessesNotRunning', 'Scheduler') });
    t.match(cond(processes, 'Ready'), { reason: 'ProcessesNotRunning' });
    const lb = run({
      ledger: condition('True', 'Embedded', 'SQLite'),
      rolledOut: false,
      waiting: { reason: 'WaitingForLoadBalancer', message: 'no ingress IP' },
    });
    t.match(cond(lb, 'Ready'), { status: 'Unknown', reason: 'WaitingForLoadBalancer' });
    const notChecked = run({
      ledger: condition('True', 'Embedded', 'SQLite'),
      rolledOut: false,
      waiting: { reason: 'PostingPolicy', message: 'p' },
    });
    t.match(cond(notChecked, 'Ready'), { status: 'Unknown', reason: 'Progressing' });
    for (const s of [stalled, ledgerFirst, nodeUnreachable, policy, processes, lb, notChecked])
      checkInvariants(t, s, 3);
  },
);

t.test(
  'every Stalled reason: Stalled=True, Ready=False with it, root generation current, phase Failed',
  async (t) => {
    for (const reason of [
      'InvalidSpec',
      'SecretNotFound',
      'LedgerAuthFailed',
      'DatabaseMissing',
      'PolicyRejected',
      'ResourceConflict',
    ] as const) {
      const s = run({ rolledOut: false, stalled: { reason, message: `because ${reason}` } });
      checkInvariants(t, s, 3);
      t.match(cond(s, 'Stalled'), { status: 'True', reason, message: `because ${reason}` });
      t.match(cond(s, 'Ready'), { status: 'False', reason });
      t.equal(cond(s, 'Reconciling'), undefined);
      t.equal(s.observedGeneration, 3);
      t.equal(s.phase, 'Failed');
    }
  },
);

t.test('recovering from a stall is in flight: Reconciling comes back, then Ready', async (t) => {
  const stalled = run({ rolledOut: false, stalled: { reason: 'SecretNotFound', message: 'missing' } });
  t.ok(isInFlight(3, stored(previousOf(stalled)), false));
  const recovering = run(waitingPod, { previous: previousOf(stalled) });
  checkInvariants(t, recovering, 3);
  t.match(cond(recovering, 'Reconciling'), { status: 'True' });
  t.equal(cond(recovering, 'Stalled'), undefined, 'Stalled removed when no longer True');
  t.ok(
    isInFlight(3, stored(previousOf(recovering)), false),
    'still in flight while Reconciling runs for this generation',
  );
  const ready = run(ok, { previous: previousOf(recovering) });
  t.equal(ready.phase, 'Running');
});

t.test(
  'progress deadline: Reconciling too long becomes Stalled/ProgressDeadlineExceeded (rule 6)',
  async (t) => {
    const previous = rollingOutSince('2026-11-26T12:35:00Z');
    const within = run(waitingPod, { previous });
    t.match(cond(within, 'Reconciling'), { status: 'True' }, '5 min 24 s is within 600 s');
    const late = run(waitingPod, { previous, progressDeadlineSeconds: 60 });
    checkInvariants(t, late, 3);
    t.equal(cond(late, 'Reconciling'), undefined);
    t.match(cond(late, 'Stalled'), {
      status: 'True',
      reason: 'ProgressDeadlineExceeded',
      message: /RollingOut: StatefulSet master is rolling out/,
    });
    t.match(cond(late, 'Ready'), { status: 'False', reason: 'ProgressDeadlineExceeded' });
    t.equal(late.phase, 'Failed');
    t.equal(late.observedGeneration, 3);
    const still = run(waitingPod, {
      previous: previousOf(late),
      progressDeadlineSeconds: 60,
      nowMs: NOW + 5_000,
    });
    t.match(
      cond(still, 'Stalled'),
      { reason: 'ProgressDeadlineExceeded' },
      'stays stalled while no progress',
    );
    const progress = run(ok, { previous: previousOf(late), progressDeadlineSeconds: 60 });
    t.equal(cond(progress, 'Stalled'), undefined, 'progress clears the stall');
    t.equal(progress.phase, 'Running');
  },
);

t.test('the in-memory hint wins over an older transition time of Reconciling', async (t) => {
  const previous = rollingOutSince('2026-11-26T11:00:00Z');
  const s = run(waitingPod, { previous, reconcilingSinceMs: NOW - 10_000 });
  t.match(cond(s, 'Reconciling'), { status: 'True' });
  t.equal(s.reconciling?.sinceMs, NOW - 10_000);
  const older = run(waitingPod, { previous });
  t.match(cond(older, 'Stalled'), { reason: 'ProgressDeadlineExceeded' });
});

t.test('a new generation restarts the deadline clock', async (t) => {
  const previous = { observedGeneration: 2, ...rollingOutSince('2026-11-26T11:00:00Z', 2) };
  const s = run(waitingPod, { previous });
  t.match(cond(s, 'Reconciling'), { status: 'True', observedGeneration: 3 });
  t.equal(s.reconciling?.sinceMs, NOW);
});

t.test(
  'deletion: Terminating, Ready=False/Deleting, Reconciling=True/Deleting; CleanupFailed replaces Reconciling',
  async (t) => {
    const ready = run(ok);
    const s = run({ rolledOut: false, deleting: true }, { previous: previousOf(ready) });
    checkInvariants(t, s, 3);
    t.equal(s.phase, 'Terminating');
    t.match(cond(s, 'Ready'), { status: 'False', reason: 'Deleting' });
    t.match(cond(s, 'Reconciling'), { status: 'True', reason: 'Deleting' });
    t.match(
      cond(s, 'PolicyPosted'),
      { status: 'True', reason: 'Posted' },
      'unreached steps keep their last value',
    );
    const failed = run(
      {
        rolledOut: false,
        deleting: true,
        stalled: { reason: 'CleanupFailed', message: 'drop policy: node down' },
      },
      { previous: previousOf(s) },
    );
    checkInvariants(t, failed, 3);
    t.equal(failed.phase, 'Terminating');
    t.equal(cond(failed, 'Reconciling'), undefined);
    t.match(cond(failed, 'Stalled'), { reason: 'CleanupFailed' });
    t.match(cond(failed, 'Ready'), { reason: 'CleanupFailed' });
  },
);

t.test('initial conditions: Ready=Unknown/Progressing and Reconciling=True (rule 8)', async (t) => {
  const c = initialConditions(1, NOW);
  t.match(c, [
    {
      type: 'Ready',
      status: 'Unknown',
      reason: 'Progressing',
      observedGeneration: 1,
      lastTransitionTime: '2026-11-26T12:40:24Z',
    },
    { type: 'Reconciling', status: 'True', reason: 'Progressing', observedGeneration: 1 },
  ]);
});

t.test('unreached steps get their not-checked defaults', async (t) => {
  const s = run({ rolledOut: false, stalled: { reason: 'InvalidSpec', message: 'bad' } });
  t.match(cond(s, 'LedgerReady'), { status: 'False', reason: 'WaitingForLedger' });
  t.match(cond(s, 'NodeReachable'), { status: 'Unknown', reason: 'NotChecked' });
  t.match(cond(s, 'PolicyPosted'), { status: 'Unknown', reason: 'NotChecked' });
  t.match(cond(s, 'ProcessesHealthy'), { status: 'Unknown', reason: 'NotChecked' });
});

t.test('the fixed messages of Ready and of unchecked conditions', async (t) => {
  const ready = run(ok);
  t.equal(cond(ready, 'Ready')?.message, 'master policy posted, 4 required processes running');
  const first = run({ rolledOut: false });
  for (const type of ['LedgerReady', 'NodeReachable', 'PolicyPosted', 'ProcessesHealthy']) {
    t.equal(cond(first, type)?.message, 'not checked yet', type);
  }
});

t.test('a settled generation whose StatefulSet is no longer rolled out is RollingOut', async (t) => {
  const ready = run(ok);
  const s = run({ ...ok, rolledOut: false }, { previous: previousOf(ready) });
  t.same(cond(s, 'Ready'), {
    type: 'Ready',
    status: 'False',
    reason: 'RollingOut',
    message: 'the node StatefulSet is not rolled out',
    observedGeneration: 3,
    lastTransitionTime: '2026-11-26T12:40:24Z',
  });
});

t.test('a backup outcome becomes BackupHealthy of this generation', async (t) => {
  const s = run({ ...ok, backup: condition('False', 'BackupStale', 'no backup') });
  t.match(cond(s, 'BackupHealthy'), {
    status: 'False',
    reason: 'BackupStale',
    message: 'no backup',
    observedGeneration: 3,
  });
  t.equal(cond(run(ok), 'BackupHealthy'), undefined, 'no backup configured: no condition');
});

t.test('a deleting object is always in flight, even after a settled generation', async (t) => {
  const ready = stored(previousOf(run(ok)));
  t.notOk(isInFlight(3, ready, false));
  t.ok(isInFlight(3, ready, true));
});
