import t from 'tap';
import {
  formatTime,
  prepareStatus,
  readConditions,
  removeCondition,
  setCondition,
  statusEquals,
  withObservedGeneration,
  withTransitionTimes,
  MAX_CONDITION_MESSAGE,
  type Condition,
} from '../../../../src/operator/framework/status.js';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const T1 = T0 + 60_000;

const ready = (status: Condition['status'], reason: string, message = ''): Condition => ({
  type: 'Ready',
  status,
  reason,
  message,
  observedGeneration: 1,
});

t.test('lastTransitionTime is kept when only reason or message change', async (t) => {
  const [first] = withTransitionTimes([], [ready('False', 'WaitingForPod', 'a')], T0);
  t.equal(first?.lastTransitionTime, '2026-11-26T12:00:00Z');
  const [second] = withTransitionTimes([first!], [ready('False', 'NodeUnreachable', 'b')], T1);
  t.equal(second?.lastTransitionTime, '2026-11-26T12:00:00Z', 'status did not flip');
  t.equal(second?.reason, 'NodeUnreachable');
});

t.test('lastTransitionTime moves when the status flips', async (t) => {
  const prev = withTransitionTimes([], [ready('False', 'WaitingForPod')], T0);
  const [next] = withTransitionTimes(prev, [ready('True', 'Ready')], T1);
  t.equal(next?.lastTransitionTime, '2026-11-26T12:01:00Z');
});

t.test('setCondition and removeCondition keep other conditions', async (t) => {
  const list = setCondition([], ready('Unknown', 'Progressing'), T0);
  const withRec = setCondition(
    list,
    { type: 'Reconciling', status: 'True', reason: 'Progressing', message: '' },
    T0,
  );
  t.equal(withRec.length, 2);
  const replaced = setCondition(withRec, ready('Unknown', 'RollingOut'), T1);
  t.equal(replaced.length, 2);
  t.equal(replaced.find((c) => c.type === 'Ready')?.lastTransitionTime, formatTime(T0));
  t.same(
    removeCondition(replaced, 'Reconciling').map((c) => c.type),
    ['Ready'],
  );
});

t.test('messages are capped at 1024 characters', async (t) => {
  const [c] = withTransitionTimes([], [ready('False', 'X', 'm'.repeat(5000))], T0);
  t.equal(c?.message.length, MAX_CONDITION_MESSAGE);
});

t.test('observedGeneration is stamped only where missing', async (t) => {
  const out = withObservedGeneration(
    [
      { type: 'A', status: 'True', reason: 'R', message: '' },
      { type: 'B', status: 'True', reason: 'R', message: '', observedGeneration: 2 },
    ],
    5,
  );
  t.same(
    out.map((c) => c.observedGeneration),
    [5, 2],
  );
});

t.test('no-op status writes are suppressed', async (t) => {
  const first = prepareStatus(
    undefined,
    { phase: 'Pending', conditions: [ready('Unknown', 'Progressing')] },
    T0,
  );
  t.ok(first.changed, 'first status differs from nothing');
  const again = prepareStatus(
    first.status,
    { phase: 'Pending', conditions: [ready('Unknown', 'Progressing')] },
    T1,
  );
  t.notOk(again.changed, 'same content a minute later is not a change (transition time carried over)');
  const message = prepareStatus(
    first.status,
    { phase: 'Pending', conditions: [ready('Unknown', 'Progressing', 'x')] },
    T1,
  );
  t.ok(message.changed, 'a message change is a change');
  const gen = prepareStatus(
    first.status,
    { phase: 'Pending', conditions: [{ ...ready('Unknown', 'Progressing'), observedGeneration: 2 }] },
    T1,
  );
  t.ok(gen.changed, 'an observedGeneration change is a change');
  const other = prepareStatus(
    first.status,
    { phase: 'Running', conditions: [ready('Unknown', 'Progressing')] },
    T1,
  );
  t.ok(other.changed, 'a field outside conditions counts');
});

t.test('status comparison ignores condition order and undefined fields', async (t) => {
  const a = { conditions: [{ type: 'A' }, { type: 'B' }], x: undefined };
  const b = { conditions: [{ type: 'B' }, { type: 'A' }] };
  t.ok(statusEquals(a, b));
  t.notOk(statusEquals({ y: 1 }, { y: 2 }));
});

t.test('readConditions tolerates missing and malformed input', async (t) => {
  t.same(readConditions(undefined), []);
  t.same(readConditions({ conditions: 'x' }), []);
  t.equal(readConditions({ conditions: [{ type: 'A', status: 'True' }, 7, { status: 'True' }] }).length, 1);
});

t.test('records: null, arrays and conditions with a non-string status are not conditions', async (t) => {
  t.same(readConditions(null), [], 'a null status has no conditions');
  t.same(readConditions({ conditions: [null, ['Ready', 'True']] }), []);
  t.same(
    readConditions({
      conditions: [
        { type: 'A', status: 5 },
        { type: 'B', status: 'False' },
      ],
    }).map((c) => c.type),
    ['B'],
  );
});

t.test('a message of exactly the cap is kept whole; a short one is not touched', async (t) => {
  const exact = 'x'.repeat(MAX_CONDITION_MESSAGE);
  const [c] = withTransitionTimes([], [ready('False', 'X', exact)], T0);
  t.equal(c?.message, exact);
  const [short] = withTransitionTimes([], [ready('False', 'X', 'pod not ready')], T0);
  t.equal(short?.message, 'pod not ready');
  const [long] = withTransitionTimes([], [ready('False', 'X', `${exact}y`)], T0);
  t.equal(long?.message, `${'x'.repeat(MAX_CONDITION_MESSAGE - 1)}…`);
});

t.test('a missing status equals an empty one', async (t) => {
  t.ok(statusEquals(undefined, {}));
  t.ok(statusEquals({}, null));
  t.notOk(prepareStatus(undefined, {}, T0).changed, 'writing {} over no status is a no-op');
});

t.test('condition order never matters, for any permutation of several types', async (t) => {
  const types = ['Available', 'Degraded', 'Progressing', 'Ready'];
  const permutations = (xs: string[]): string[][] =>
    xs.length <= 1
      ? [xs]
      : xs.flatMap((x, i) => permutations(xs.filter((_, j) => j !== i)).map((p) => [x, ...p]));
  const base = { conditions: types.map((type) => ({ type, status: 'True' })) };
  for (const p of permutations(types)) {
    t.ok(statusEquals(base, { conditions: p.map((type) => ({ type, status: 'True' })) }), p.join(','));
  }
  t.notOk(
    statusEquals(base, {
      conditions: types.map((type) => ({ type, status: type === 'Ready' ? 'False' : 'True' })),
    }),
    'a different status of one type is a difference',
  );
});

t.test('prepareStatus stamps conditions and leaves a status without conditions as it is', async (t) => {
  const p = prepareStatus(undefined, { phase: 'Pending', conditions: [ready('Unknown', 'Progressing')] }, T0);
  t.same(p.status['conditions'], [
    { ...ready('Unknown', 'Progressing'), lastTransitionTime: formatTime(T0) },
  ]);
  const plain = prepareStatus({ phase: 'Pending' }, { phase: 'Running' }, T0);
  t.same(plain.status, { phase: 'Running' });
  t.ok(plain.changed);
});
