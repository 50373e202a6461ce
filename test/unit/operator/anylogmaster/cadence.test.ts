// Requeue cadence.
import t from 'tap';
import { nextCadence, PERMANENT_STALLS } from '../../../../src/operator/anylogmaster/cadence.js';
import { STALLED_REASONS } from '../../../../src/api/conditions.js';

t.test('Ready refreshes every 30 s ± 10 %', async (t) => {
  t.same(nextCadence({ ready: true, stalled: undefined, random: () => 0 }), {
    kind: 'requeue',
    afterMs: 27_000,
  });
  t.same(nextCadence({ ready: true, stalled: undefined, random: () => 1 }), {
    kind: 'requeue',
    afterMs: 33_000,
  });
  t.same(nextCadence({ ready: true, stalled: undefined, random: () => 0.5 }), {
    kind: 'requeue',
    afterMs: 30_000,
  });
});

t.test('in flight or degraded → 5 s', async (t) => {
  t.same(nextCadence({ ready: false, stalled: undefined }), { kind: 'requeue', afterMs: 5_000 });
});

t.test('each stall reason has its cadence', async (t) => {
  const expected: Record<string, string> = {
    InvalidSpec: 'permanent',
    PolicyRejected: 'permanent',
    ResourceConflict: 'permanent',
    SecretNotFound: '60000',
    LedgerAuthFailed: '60000',
    DatabaseMissing: '60000',
    ProgressDeadlineExceeded: '60000',
    CleanupFailed: '60000',
    RestoreFailed: '60000',
  };
  for (const reason of STALLED_REASONS) {
    const c = nextCadence({ ready: false, stalled: reason });
    t.equal(c.kind === 'permanent' ? 'permanent' : String(c.afterMs), expected[reason], reason);
  }
  t.same([...PERMANENT_STALLS].sort(), ['InvalidSpec', 'PolicyRejected', 'ResourceConflict']);
});
