// spec.rest.tls validation: the TypeScript twins of TLS1/TLS2 and the resolved defaults.
import t from 'tap';
import { resolveSpec } from '../../../src/api/defaults.js';
import { validateAnyLogMaster } from '../../../src/api/validate.js';

const cr = (tls: Record<string, unknown>) => ({
  apiVersion: 'anylog.co/v1alpha1',
  kind: 'AnyLogMaster',
  metadata: { name: 'master', namespace: 'anylog' },
  spec: { nodeName: 'm', company: 'c', ledger: { embedded: {} }, rest: { tls } },
});
const messages = (tls: Record<string, unknown>) =>
  validateAnyLogMaster(cr(tls)).problems.map((p) => p.message);

t.test('secretName and clientSecretName go together; renewBefore is shorter than duration', async (t) => {
  t.same(messages({ enabled: true }), []);
  t.same(messages({ enabled: true, secretName: 's', clientSecretName: 'c' }), []);
  t.match(messages({ enabled: true, secretName: 's' }).join(), /must be set together/);
  t.match(messages({ enabled: true, clientSecretName: 'c' }).join(), /must be set together/);
  t.match(messages({ durationHours: 48, renewBeforeHours: 48 }).join(), /shorter than durationHours/);
  t.same(messages({ durationHours: 48, renewBeforeHours: 47 }), []);
  t.match(messages({ renewBeforeHours: 2160 }).join(), /shorter than durationHours/, 'against the default');
  t.not(messages({ org: 'Bad Org' }).length, 0, 'org is part of file names');
  t.not(messages({ durationHours: 23 }).length, 0, 'at least a day');
});

t.test('defaults: off, org anylog, 90 days, renewal at two thirds', async (t) => {
  const spec = resolveSpec(cr({ enabled: true }).spec);
  t.same(spec.rest.tls, { enabled: true, org: 'anylog', durationHours: 2160, renewBeforeHours: 720 });
  const none = resolveSpec({ nodeName: 'm', company: 'c', ledger: { embedded: {} } });
  t.equal(none.rest.tls.enabled, false);
});
