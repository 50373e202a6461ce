// Status assembly: unreached steps keep their previous fields, a cleared policy id is dropped.
import t from 'tap';
import { assembleStatus } from '../../../../src/operator/anylogmaster/assemble.js';
import { EMPTY_STATUS, parseStatus } from '../../../../src/operator/anylogmaster/observed-status.js';
import type { ComputedStatus } from '../../../../src/operator/anylogmaster/status.js';

const computed: ComputedStatus = {
  conditions: [],
  observedGeneration: 2,
  phase: 'Degraded',
  ready: false,
  reconciling: undefined,
  stalled: undefined,
};
const previous = {
  policyId: 'a'.repeat(32),
  advertisedAddress: '10.0.0.1',
  endpoints: { tcp: '10.0.0.1:1', rest: '10.0.0.1:2' },
  processes: [{ name: 'TCP', status: 'Running' }],
  ledger: { mode: 'Embedded' },
};

t.test('unreached fields keep their previous values', async (t) => {
  const s = assembleStatus(parseStatus(previous).status, computed, {});
  t.match(s, { ...previous, observedGeneration: 2, phase: 'Degraded', conditions: [] });
});

t.test('new values replace old ones; null clears the policy id', async (t) => {
  const s = assembleStatus(parseStatus(previous).status, computed, {
    policyId: null,
    advertisedAddress: '10.0.0.2',
  });
  t.equal(s['policyId'], undefined);
  t.notOk('policyId' in s);
  t.equal(s['advertisedAddress'], '10.0.0.2');
});

t.test('no root observedGeneration is written before the first terminal outcome', async (t) => {
  const s = assembleStatus(EMPTY_STATUS, { ...computed, observedGeneration: undefined }, {});
  t.notOk('observedGeneration' in s);
});

t.test(
  'backup and restore status: kept when unreached, replaced when reported, backup cleared by null',
  async (t) => {
    const stored = {
      ...previous,
      backup: {
        lastSuccessTime: '2026-12-06T05:00:00.000Z',
        policyCount: 4,
        file: 'master-20261206T050000Z.json.gz',
        checksum: 'b'.repeat(64),
      },
      restore: {
        file: 'master-20261205T230000Z.json.gz',
        policyCount: 4,
        completionTime: '2026-12-06T00:00:00Z',
      },
    };
    const parsed = parseStatus(stored).status;
    const kept = assembleStatus(parsed, computed, {});
    t.same(kept['backup'], stored.backup, 'backup kept');
    t.same(kept['restore'], stored.restore, 'restore kept');
    const newer = { ...stored.backup, lastSuccessTime: '2026-12-06T06:00:00.000Z' };
    t.same(
      assembleStatus(parsed, computed, { backup: newer })['backup'],
      newer,
      'a new backup status replaces it',
    );
    const cleared = assembleStatus(parsed, computed, { backup: null });
    t.notOk('backup' in cleared, 'null clears the backup status (no backup asked for)');
    t.same(cleared['restore'], stored.restore, 'the restore record stays');
  },
);
