// What readStatus logs: nothing for a stored status that matches the schema, and one info record naming
// the dropped fields when some do not.
import t from 'tap';
import { readStatus } from '../../../../src/operator/anylogmaster/observed-status.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

const object = (status: unknown): KubeObject => ({
  apiVersion: 'anylog.co/v1alpha1',
  kind: 'AnyLogMaster',
  metadata: { name: 'm', namespace: 'ns' },
  status,
});

const ready = { type: 'Ready', status: 'True', reason: 'Ready', message: 'up', observedGeneration: 2 };

t.test('a stored status that matches the schema logs nothing', async (t) => {
  const { logger, records } = captureLogger();
  const parsed = readStatus({
    object: object({ observedGeneration: 2, phase: 'Running', conditions: [ready] }),
    logger,
  });
  t.same(parsed.dropped, []);
  t.same(records, []);
});

t.test('dropped fields are logged once, by name, at info', async (t) => {
  const { logger, records } = captureLogger();
  readStatus({ object: object({ phase: 'Nowhere', legacyField: 1, conditions: [ready] }), logger });
  t.equal(records.length, 1);
  t.match(records[0], { level: 30, msg: 'stored status fields that do not match the schema are ignored' });
  t.same(records[0]?.['dropped'], ['phase', 'legacyField']);
});
