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
