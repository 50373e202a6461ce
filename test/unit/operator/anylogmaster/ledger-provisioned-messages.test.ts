// The LedgerReady=True/Provisioned message of a provisioned PostgreSQL ledger (steps/ledger.ts for
// External, steps/ledger-managed.ts for Managed): it names where the ledger lives, as users read it in
// status. PostgreSQL is a wire stand-in on a loopback address.
import t from 'tap';
import { ledgerPodName } from '../../../../src/api/names.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import { PODS, SECRETS, STATEFULSETS } from '../../../../src/operator/anylogmaster/resources.js';
import { reconcileLedger } from '../../../../src/operator/anylogmaster/steps/ledger.js';
import { renderLedgerSecretOwnership, renderLedgerStatefulSet } from '../../../../src/render/index.js';
import { crFromFixture, crFromSample } from '../../render/helpers.js';
import { startFakePostgres } from './fixtures/fake-postgres.js';
import { passFor, TEST_SETTINGS } from './fixtures/pass-env.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const credentials = { username: b64('anylog'), password: b64('ledger-pw') };

t.test('External: the message names host, port and database', async (t) => {
  const pg = await startFakePostgres('127.0.0.1');
  t.teardown(() => pg.close());
  const base = crFromFixture('external-minimal.yaml');
  const cr: AnyLogMaster = {
    ...base,
    spec: {
      ...base.spec,
      ledger: {
        external: {
          host: '127.0.0.1',
          port: pg.port,
          sslMode: 'disable',
          credentialsSecretRef: { name: 'anylog-ledger' },
        },
      },
    },
  };
  const p = passFor(cr);
  p.kube.seed(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'anylog-ledger', namespace: cr.metadata.namespace },
    data: credentials,
  });
  const r = await reconcileLedger(p.env);
  t.same(r.outcome, {
    status: 'True',
    reason: 'Provisioned',
    message: `table ledger ready in 127.0.0.1:${String(pg.port)}/blockchain`,
  });
});

/** A random 127.a.b.c address other than 127.0.0.1 (the managed port is fixed at 5432). */
function randomLoopback(): string {
  const octet = (): number => 1 + Math.floor(Math.random() * 254);
  return `127.${String(octet())}.${String(octet())}.${String(octet())}`;
}

t.test('Managed: the message names the PostgreSQL address the node uses', async (t) => {
  const ip = randomLoopback();
  const pg = await startFakePostgres(ip, { port: 5432 });
  t.teardown(() => pg.close());
  const cr = crFromSample('managed');
  const p = passFor(cr, { settings: { ledgerAddressing: 'pod-ip' } });
  const operatorVersion = p.deps.operatorVersion;
  p.kube.seed(SECRETS, {
    ...renderLedgerSecretOwnership(cr, { operatorVersion, owned: true }),
    type: 'kubernetes.io/basic-auth',
    data: credentials,
  });
  const sts = renderLedgerStatefulSet(cr, { operatorVersion, image: TEST_SETTINGS.defaultLedgerImage });
  p.kube.seed(STATEFULSETS, {
    ...sts,
    metadata: { ...sts.metadata, generation: 2 },
    status: {
      observedGeneration: 2,
      updatedReplicas: 1,
      readyReplicas: 1,
      currentReplicas: 1,
      currentRevision: 'rev-1',
      updateRevision: 'rev-1',
    },
  });
  p.kube.seed(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: ledgerPodName(cr),
      namespace: cr.metadata.namespace,
      labels: { 'controller-revision-hash': 'rev-1' },
    },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const r = await reconcileLedger(p.env);
  t.same(r.outcome, {
    status: 'True',
    reason: 'Provisioned',
    message: `managed PostgreSQL ${ip}:5432 ready`,
  });
});
