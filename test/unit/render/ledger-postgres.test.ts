import t from 'tap';
import { RenderInputError } from '../../../src/render/errors.js';
import {
  managedLedgerCredentials,
  managedLedgerEndpoint,
  renderLedgerSecret,
  renderLedgerSecretOwnership,
  renderLedgerServices,
  renderLedgerStatefulSet,
} from '../../../src/render/ledger-postgres.js';
import { PASSWORD, crFromSample } from './helpers.js';

const cr = crFromSample('managed');
const inputs = { operatorVersion: '0.1.0', image: 'postgres:17' };

t.test('the PostgreSQL StatefulSet', async (t) => {
  const sts = renderLedgerStatefulSet(cr, inputs);
  t.match(sts, {
    metadata: {
      name: 'master-managed-ledger',
      namespace: 'anylog',
      labels: { 'app.kubernetes.io/component': 'ledger' },
    },
    spec: {
      replicas: 1,
      serviceName: 'master-managed-ledger-headless',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      selector: {
        matchLabels: {
          'app.kubernetes.io/component': 'ledger',
          'app.kubernetes.io/instance': 'master-managed',
        },
      },
    },
  });
  const pod = sts.spec.template.spec;
  t.match(pod.securityContext, { runAsUser: 999, fsGroup: 999, runAsNonRoot: true });
  t.equal(pod.enableServiceLinks, false);
  const c = pod.containers[0];
  t.equal(c?.image, 'postgres:17');
  t.same(c?.env, [
    {
      name: 'POSTGRES_USER',
      valueFrom: { secretKeyRef: { name: 'master-managed-ledger-credentials', key: 'username' } },
    },
    {
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'master-managed-ledger-credentials', key: 'password' } },
    },
    { name: 'POSTGRES_DB', value: 'blockchain' },
    { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
  ]);
  for (const probe of [c?.startupProbe, c?.readinessProbe, c?.livenessProbe])
    t.same(probe?.tcpSocket, { port: 'postgres' });
  t.same(c?.ports, [{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }]);
  t.same(c?.resources, { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } });
  t.same(sts.spec.volumeClaimTemplates[0]?.metadata.name, 'pgdata');
  t.same(sts.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage, '1Gi');
  for (const [k, v] of Object.entries(sts.spec.selector.matchLabels))
    t.equal(sts.spec.template.metadata.labels[k], v);
  t.throws(() => renderLedgerStatefulSet(crFromSample('embedded'), inputs), RenderInputError);
});

t.test('ledger Services select the PostgreSQL pod', async (t) => {
  const [client, headless] = renderLedgerServices(cr, inputs);
  const podLabels = renderLedgerStatefulSet(cr, inputs).spec.template.metadata.labels;
  t.equal(client?.metadata.name, 'master-managed-ledger');
  t.equal(headless?.metadata.name, 'master-managed-ledger-headless');
  t.equal(headless?.spec.clusterIP, 'None');
  for (const svc of [client, headless]) {
    for (const [k, v] of Object.entries(svc?.spec.selector ?? {})) t.equal(podLabels[k], v);
    t.same(svc?.spec.ports, [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
    t.equal(svc?.metadata.ownerReferences?.length, 1);
  }
});

t.test('the Secret shape: the password appears there and nowhere else', async (t) => {
  const owned = renderLedgerSecret(cr, { operatorVersion: '0.1.0', password: PASSWORD, owned: true });
  t.equal(owned.type, 'kubernetes.io/basic-auth');
  t.equal(owned.metadata.name, 'master-managed-ledger-credentials');
  t.same(owned.stringData, { username: 'anylog', password: PASSWORD });
  t.equal(owned.metadata.ownerReferences?.length, 1);
  t.equal(owned.metadata.labels?.['app.kubernetes.io/instance'], 'master-managed');
  t.equal(owned.metadata.labels?.['app.kubernetes.io/managed-by'], 'anylog-operator');
  const retained = renderLedgerSecret(cr, { operatorVersion: '0.1.0', password: PASSWORD, owned: false });
  t.same(retained.metadata.ownerReferences, [], 'Retain: no owner reference');
  const ownership = renderLedgerSecretOwnership(cr, { operatorVersion: '0.1.0', owned: true });
  t.notOk('stringData' in ownership || 'data' in ownership, 'ownership apply carries no data');
  t.equal(ownership.metadata.ownerReferences?.length, 1);
  const others = JSON.stringify([
    renderLedgerStatefulSet(cr, inputs),
    renderLedgerServices(cr, inputs),
    ownership,
  ]);
  t.notMatch(others, PASSWORD);
});

t.test('endpoint and credential helpers', async (t) => {
  t.same(managedLedgerEndpoint(cr), {
    host: 'master-managed-ledger.anylog.svc',
    port: 5432,
    database: 'blockchain',
    sslMode: 'disable',
  });
  t.equal(managedLedgerEndpoint(cr, '10.244.0.9').host, '10.244.0.9');
  t.same(managedLedgerCredentials(cr, '42'), {
    secretName: 'master-managed-ledger-credentials',
    usernameKey: 'username',
    passwordKey: 'password',
    resourceVersion: '42',
  });
});
