// Parsing the stored AnyLogMaster status: a valid status is read whole, fields and conditions that do not
// match the schema are left out and named, and a missing status reads as empty.
import { Writable } from 'node:stream';
import t from 'tap';
import {
  EMPTY_STATUS,
  conditionOf,
  parseStatus,
  readStatus,
} from '../../../../src/operator/anylogmaster/observed-status.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { createLogger } from '../../../../src/common/logger.js';

const ready = {
  type: 'Ready',
  status: 'True',
  reason: 'Ready',
  message: 'up',
  observedGeneration: 4,
  lastTransitionTime: '2026-11-26T12:00:00Z',
};

t.test('a valid status is read whole, typed', async (t) => {
  const raw = {
    observedGeneration: 4,
    phase: 'Running',
    conditions: [ready],
    policyId: 'a'.repeat(32),
    ledger: { mode: 'External', host: 'db', createdByOperator: { database: true } },
  };
  const { status, dropped } = parseStatus(raw);
  t.same(dropped, []);
  t.same(status, raw);
  t.equal(conditionOf(status, 'Ready')?.reason, 'Ready');
  t.equal(conditionOf(status, 'Stalled'), undefined);
});

t.test('no status reads as empty without a report; a non-object is reported', async (t) => {
  t.same(parseStatus(undefined), { status: EMPTY_STATUS, dropped: [] });
  t.same(parseStatus('text'), { status: EMPTY_STATUS, dropped: ['(not an object)'] });
});

t.test('fields and conditions that do not match are dropped and named; the rest is kept', async (t) => {
  const { status, dropped } = parseStatus({
    observedGeneration: 'four',
    phase: 'Running',
    policyId: 'not-a-policy-id',
    legacyField: true,
    conditions: [ready, { type: 'Stalled', status: 'Maybe' }, 'junk'],
  });
  t.same(dropped.toSorted(), [
    'conditions[1]',
    'conditions[2]',
    'legacyField',
    'observedGeneration',
    'policyId',
  ]);
  t.same(status, { phase: 'Running', conditions: [ready] });
  t.equal(status.observedGeneration, undefined);
});

t.test('a conditions value that is not a list is dropped', async (t) => {
  const { status, dropped } = parseStatus({ conditions: { type: 'Ready' } });
  t.same(dropped, ['conditions']);
  t.same(status.conditions, []);
});

t.test('a condition without reason or message reads them as empty text', async (t) => {
  const { status } = parseStatus({ conditions: [{ type: 'Ready', status: 'Unknown' }] });
  t.same(status.conditions, [{ type: 'Ready', status: 'Unknown', reason: '', message: '' }]);
});

t.test('readStatus parses the object a handler was given and logs what it dropped', async (t) => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ destination });
  const object: KubeObject = {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'm', namespace: 'ns' },
    status: { phase: 'Nowhere', conditions: [ready] },
  };
  const { status, dropped } = readStatus({ object, logger });
  t.same(dropped, ['phase']);
  t.same(status.conditions, [ready]);
  t.equal(lines.length, 1);
  t.match(lines[0], /phase/);
});

t.test('the backup and restore records are read typed; a malformed one is dropped and named', async (t) => {
  const backup = {
    lastSuccessTime: '2026-12-06T05:00:00.000Z',
    policyCount: 4,
    file: 'master-20261206T050000Z.json.gz',
    checksum: 'c'.repeat(64),
    lastFailureTime: '2026-12-06T04:00:00.000Z',
    lastError: 'NodeUnreachableError: timeout',
  };
  const restore = {
    file: 'master-20261205T230000Z.json.gz',
    policyCount: 4,
    completionTime: '2026-12-06T00:00:00Z',
  };
  const good = parseStatus({ conditions: [ready], backup, restore });
  t.same(good.dropped, []);
  t.same(good.status.backup, backup);
  t.same(good.status.restore, restore);
  const bad = parseStatus({
    conditions: [ready],
    backup: { ...backup, checksum: 'not-hex' },
    restore: { policyCount: -1 },
  });
  t.same(bad.dropped.toSorted(), ['backup', 'restore']);
  t.equal(bad.status.backup, undefined);
  t.equal(bad.status.restore, undefined);
  t.same(bad.status.conditions, [ready]);
});

t.test('a status without conditions drops nothing', async (t) => {
  t.same(parseStatus({ phase: 'Running' }), { status: { phase: 'Running', conditions: [] }, dropped: [] });
});
