// The managed PostgreSQL ledger (steps/ledger-managed.ts): the credentials Secret is created once with a
// generated password and then only its owner reference converges, Services and StatefulSet are applied,
// the rollout decides WaitingForLedger, and the address (Service or pod IP) reaches status and provisioning.
import t from 'tap';
import {
  ledgerCredentialsSecretName,
  ledgerHeadlessServiceName,
  ledgerPodName,
  ledgerServiceHost,
  ledgerServiceName,
  ledgerStatefulSetName,
} from '../../../../src/api/names.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { FIELD_MANAGER, type AnyLogMasterSettings } from '../../../../src/operator/anylogmaster/deps.js';
import { PODS, SECRETS, SERVICES, STATEFULSETS } from '../../../../src/operator/anylogmaster/resources.js';
import { ResourceConflictError } from '../../../../src/operator/anylogmaster/steps/apply.js';
import { provisionManagedLedger } from '../../../../src/operator/anylogmaster/steps/ledger-managed.js';
import { renderLedgerSecretOwnership, renderLedgerStatefulSet } from '../../../../src/render/index.js';
import { ownerReference } from '../../../../src/render/common.js';
import { crFromSample } from '../../render/helpers.js';
import { FakeKube, serverError } from './fixtures/fake-kube.js';
import { startFakePostgres } from './fixtures/fake-postgres.js';
import { passFor, TEST_SETTINGS, type Pass } from './fixtures/pass-env.js';

const cr = crFromSample('managed');
const ns = cr.metadata.namespace;
const secretName = ledgerCredentialsSecretName(cr);
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const PASSWORD = 'generated-Pa55word-of-the-test';
const retain: AnyLogMaster = { ...cr, spec: { ...cr.spec, deletionPolicy: 'Retain' } };

const serviceStatus = {
  mode: 'Managed',
  host: ledgerServiceHost(cr),
  port: 5432,
  database: 'blockchain',
  secretName,
} as const;

/** The credentials Secret as the operator created it (labels, owner reference) with `data`. */
function ledgerSecret(p: Pass, data: Record<string, string>, owned = true): KubeObject {
  const meta = renderLedgerSecretOwnership(cr, { operatorVersion: p.deps.operatorVersion, owned });
  return { ...meta, type: 'kubernetes.io/basic-auth', data };
}

const fullData = { username: b64('anylog'), password: b64(PASSWORD) };

/** The rendered StatefulSet with a finished rollout of revision `rev-1`. */
function rolledOut(p: Pass, image = TEST_SETTINGS.defaultLedgerImage): KubeObject {
  const sts = renderLedgerStatefulSet(cr, { operatorVersion: p.deps.operatorVersion, image });
  return {
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
  };
}

function readyPod(ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: ledgerPodName(cr), namespace: ns, labels: { 'controller-revision-hash': 'rev-1' } },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A pass whose ledger StatefulSet is rolled out and whose pod is Ready with `ip`. */
function readyPass(
  data: Record<string, string>,
  ip: string,
  settings: Partial<AnyLogMasterSettings> = {},
): Pass {
  const p = passFor(cr, { settings });
  p.kube.seed(SECRETS, ledgerSecret(p, data));
  p.kube.seed(STATEFULSETS, rolledOut(p));
  p.kube.seed(PODS, readyPod(ip));
  return p;
}

function loggedText(p: Pass): string {
  return JSON.stringify({ log: p.log.lines, events: p.events });
}

t.test('a first pass creates the Secret once, applies Services and StatefulSet, and waits', async (t) => {
  const p = passFor(cr);
  const r = await provisionManagedLedger(p.env);
  const creates = p.kube.callsOf('createIfAbsent', SECRETS);
  t.equal(creates.length, 1);
  t.equal(creates[0]?.fieldManager, FIELD_MANAGER);
  const body = creates[0]?.body as {
    type: string;
    metadata: KubeObject['metadata'];
    stringData: Record<string, string>;
  };
  t.equal(body.metadata.name, secretName);
  t.equal(body.metadata.namespace, ns);
  t.equal(body.type, 'kubernetes.io/basic-auth');
  t.equal(body.stringData['username'], 'anylog');
  t.match(body.stringData['password'], /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  t.strictSame(body.metadata.ownerReferences, [ownerReference(cr)], 'deletionPolicy Delete: owned');
  t.strictSame(
    p.kube.callsOf('apply', SERVICES).map((c) => [c.ref.name, c.fieldManager]),
    [
      [ledgerServiceName(cr), FIELD_MANAGER],
      [ledgerHeadlessServiceName(cr), FIELD_MANAGER],
    ],
  );
  const sts = p.kube.callsOf('apply', STATEFULSETS);
  t.strictSame(
    sts.map((c) => [c.ref.name, c.fieldManager]),
    [[ledgerStatefulSetName(cr), FIELD_MANAGER]],
  );
  t.match(sts[0]?.body, {
    spec: { template: { spec: { containers: [{ image: TEST_SETTINGS.defaultLedgerImage }] } } },
  });
  t.equal(p.kube.callsOf('get', PODS).length, 0, 'the pod is read from the cache only');
  t.equal(r.outcome.status, 'False');
  t.equal(r.outcome.reason, 'WaitingForLedger');
  t.match(r.outcome.message, new RegExp(`^PostgreSQL: StatefulSet ${ledgerStatefulSetName(cr)}: `));
  t.strictSame(r.waiting, { reason: 'WaitingForLedger', message: r.outcome.message });
  t.equal(r.ready, false);
  t.strictSame(r.status, serviceStatus);
  t.equal(r.stalled, undefined);
  t.equal(r.render, undefined);
  t.equal(r.connection, undefined);
  t.notMatch(loggedText(p), body.stringData['password'] ?? 'unreachable', 'no password logged');

  const again = await provisionManagedLedger(passFor(cr, { kube: p.kube }).env);
  t.equal(p.kube.callsOf('createIfAbsent').length, 1, 'the Secret is not created again');
  t.equal(again.waiting?.reason, 'WaitingForLedger');
  t.match(p.kube.stored(SECRETS, ns, secretName), { stringData: { password: body.stringData['password'] } });
});

t.test('the password differs between two new Secrets', async (t) => {
  const passwords: unknown[] = [];
  for (let i = 0; i < 2; i++) {
    const p = passFor(cr);
    await provisionManagedLedger(p.env);
    passwords.push(p.kube.stored(SECRETS, ns, secretName)?.['stringData']);
  }
  t.not(JSON.stringify(passwords[0]), JSON.stringify(passwords[1]));
});

t.test('deletionPolicy Retain creates the Secret without owner reference', async (t) => {
  const p = passFor(retain);
  await provisionManagedLedger(p.env);
  const body = p.kube.callsOf('createIfAbsent', SECRETS)[0]?.body as KubeObject;
  t.strictSame(body.metadata.ownerReferences, []);
});

t.test('an existing Secret keeps its data; only its owner reference follows deletionPolicy', async (t) => {
  const retained = passFor(retain);
  retained.kube.seed(SECRETS, ledgerSecret(retained, fullData, true));
  await provisionManagedLedger(retained.env);
  t.equal(retained.kube.callsOf('createIfAbsent').length, 0);
  const toRetain = retained.kube.callsOf('apply', SECRETS);
  t.equal(toRetain.length, 1);
  t.equal(toRetain[0]?.fieldManager, FIELD_MANAGER);
  const sent = toRetain[0]?.body as Record<string, unknown> & KubeObject;
  t.strictSame(sent.metadata.ownerReferences, []);
  t.notOk('data' in sent || 'stringData' in sent, 'no data is applied again');

  const deleting = passFor(cr);
  deleting.kube.seed(SECRETS, ledgerSecret(deleting, fullData, false));
  await provisionManagedLedger(deleting.env);
  const toOwn = deleting.kube.callsOf('apply', SECRETS);
  t.strictSame(
    toOwn.map((c) => (c.body as KubeObject).metadata.ownerReferences),
    [[ownerReference(cr)]],
  );
  t.match(deleting.kube.stored(SECRETS, ns, secretName), { data: fullData });

  const settled = passFor(cr);
  settled.kube.seed(SECRETS, ledgerSecret(settled, fullData, true));
  await provisionManagedLedger(settled.env);
  t.equal(settled.kube.callsOf('apply', SECRETS).length, 0, 'nothing to converge: no write');
});

t.test('a Secret not in the cache is read directly and not created again', async (t) => {
  const p = passFor(cr);
  p.kube.seed(SECRETS, ledgerSecret(p, fullData), { cached: false });
  await provisionManagedLedger(p.env);
  t.strictSame(p.kube.callsOf('get', SECRETS)[0]?.ref, { namespace: ns, name: secretName });
  t.equal(p.kube.callsOf('createIfAbsent').length, 0);
});

t.test('a foreign Secret of that name is a ResourceConflict and nothing is written', async (t) => {
  const p = passFor(cr);
  p.kube.seed(
    SECRETS,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace: ns }, data: fullData },
    { cached: false },
  );
  await t.rejects(provisionManagedLedger(p.env), ResourceConflictError);
  t.equal(p.kube.callsOf('createIfAbsent').length, 0);
  t.equal(p.kube.callsOf('apply').length, 0);
});

t.test('a Secret another operator created in the race is a ResourceConflict', async (t) => {
  class RacingKube extends FakeKube {
    override async createIfAbsent(
      ...args: Parameters<FakeKube['createIfAbsent']>
    ): ReturnType<FakeKube['createIfAbsent']> {
      this.seed(
        SECRETS,
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace: ns }, data: fullData },
        { cached: false },
      );
      return super.createIfAbsent(...args);
    }
  }
  const kube = new RacingKube();
  const p = passFor(cr, { kube });
  await t.rejects(provisionManagedLedger(p.env), ResourceConflictError);
  t.equal(p.kube.callsOf('apply').length, 0);
  t.match(p.kube.stored(SECRETS, ns, secretName), { data: fullData }, 'the existing data is kept');
});

t.test('a foreign Service stops the step before the StatefulSet', async (t) => {
  const p = passFor(cr);
  p.kube.seed(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ledgerServiceName(cr), namespace: ns },
  });
  await t.rejects(provisionManagedLedger(p.env), ResourceConflictError);
  t.equal(p.kube.callsOf('apply', STATEFULSETS).length, 0);
});

t.test('API failures propagate (the pass retries with backoff)', async (t) => {
  const create = passFor(cr);
  const createFailure = serverError('create');
  create.kube.failNext('createIfAbsent', createFailure, SECRETS);
  await t.rejects(provisionManagedLedger(create.env), createFailure);
  t.equal(create.kube.callsOf('apply').length, 0);

  const apply = passFor(cr);
  const applyFailure = serverError('apply');
  apply.kube.failNext('apply', applyFailure, STATEFULSETS);
  await t.rejects(provisionManagedLedger(apply.env), applyFailure);
});

t.test('the ledger image comes from the spec, else from the operator setting', async (t) => {
  const image = 'registry.example/postgres:16.4';
  const custom: AnyLogMaster = {
    ...cr,
    spec: { ...cr.spec, ledger: { managed: { ...cr.spec.ledger?.managed, image } } },
  };
  const p = passFor(custom);
  await provisionManagedLedger(p.env);
  t.match(p.kube.callsOf('apply', STATEFULSETS)[0]?.body, {
    spec: { template: { spec: { containers: [{ image }] } } },
  });
  const q = passFor(cr, { settings: { defaultLedgerImage: 'other.example/pg:15' } });
  await provisionManagedLedger(q.env);
  t.match(q.kube.callsOf('apply', STATEFULSETS)[0]?.body, {
    spec: { template: { spec: { containers: [{ image: 'other.example/pg:15' }] } } },
  });
});

t.test('a rolled-out StatefulSet whose pod is not in the cache waits for the pod', async (t) => {
  const p = passFor(cr);
  p.kube.seed(SECRETS, ledgerSecret(p, fullData));
  p.kube.seed(STATEFULSETS, rolledOut(p));
  p.kube.seed(PODS, readyPod('10.1.2.3'), { cached: false });
  const r = await provisionManagedLedger(p.env);
  t.equal(p.kube.callsOf('apply', STATEFULSETS).length, 0, 'an unchanged StatefulSet is not written');
  t.strictSame(r.waiting, {
    reason: 'WaitingForLedger',
    message: `PostgreSQL: pod ${ledgerPodName(cr)}: the pod does not exist yet`,
  });
  t.equal(r.outcome.reason, 'WaitingForLedger');
  t.strictSame(r.status, serviceStatus);
});

t.test('once the pod is Ready the Secret credentials are read (service addressing)', async (t) => {
  const p = readyPass({ username: b64('anylog') }, '10.1.2.3');
  const r = await provisionManagedLedger(p.env);
  t.equal(r.ready, false);
  t.equal(r.outcome.reason, 'SecretNotFound');
  t.strictSame(r.stalled, { reason: 'SecretNotFound', message: `Secret ${secretName} has no key password` });
  t.equal(r.waiting, undefined);
  t.strictSame(r.status, serviceStatus, 'the Service DNS name, not the pod IP');
});

t.test('pod-ip addressing puts the pod IP in status', async (t) => {
  const p = readyPass({ password: b64(PASSWORD) }, '10.1.2.3', { ledgerAddressing: 'pod-ip' });
  const r = await provisionManagedLedger(p.env);
  t.strictSame(r.stalled, { reason: 'SecretNotFound', message: `Secret ${secretName} has no key username` });
  t.strictSame(r.status, { ...serviceStatus, host: '10.1.2.3' });
});

/** A random 127.a.b.c address other than 127.0.0.1 (Linux answers on all of 127/8). */
function randomLoopback(): string {
  const octet = (): number => 1 + Math.floor(Math.random() * 254);
  return `127.${String(octet())}.${String(octet())}.${String(octet())}`;
}

t.test('provisioning runs against the pod IP; a refused connection waits for the ledger', async (t) => {
  // The managed port is fixed (5432); a random loopback address has no listener there unless something
  // listens on every address at 5432, which the next test would also meet (EADDRINUSE).
  const ip = randomLoopback();
  const p = readyPass(fullData, ip, { ledgerAddressing: 'pod-ip' });
  const r = await provisionManagedLedger(p.env);
  t.equal(r.ready, false);
  t.equal(r.outcome.reason, 'LedgerUnreachable');
  t.match(r.outcome.message, `${ip}:5432`);
  t.strictSame(r.waiting, { reason: 'WaitingForLedger', message: r.outcome.message });
  t.equal(r.stalled, undefined);
  t.strictSame(r.status, { ...serviceStatus, host: ip });
  t.notMatch(loggedText(p) + r.outcome.message, PASSWORD);
});

t.test('a Ready pod is provisioned with the generated role as admin and node role', async (t) => {
  // The managed port is fixed (5432): listen on a random loopback address so parallel runs do not collide.
  const ip = randomLoopback();
  const pg = await startFakePostgres(ip, { port: 5432 });
  t.teardown(() => pg.close());
  const p = readyPass(fullData, ip, { ledgerAddressing: 'pod-ip' });
  const secretVersion = p.kube.stored(SECRETS, ns, secretName)?.metadata.resourceVersion;
  const r = await provisionManagedLedger(p.env);
  const endpoint = { host: ip, port: 5432, database: 'blockchain', sslMode: 'disable' };
  const creds = { username: 'anylog', password: PASSWORD };
  t.equal(r.ready, true);
  t.strictSame(r.outcome, {
    status: 'True',
    reason: 'Provisioned',
    message: `managed PostgreSQL ${ip}:5432 ready`,
  });
  t.equal(r.waiting, undefined);
  t.equal(r.stalled, undefined);
  t.strictSame(r.status, { ...serviceStatus, host: ip });
  t.strictSame(r.render, {
    endpoint,
    credentials: {
      secretName,
      usernameKey: 'username',
      passwordKey: 'password',
      resourceVersion: secretVersion,
    },
  });
  t.strictSame(r.connection, { endpoint, nodeCredentials: creds, adminCredentials: creds });
  t.ok(
    pg.logins.some((l) => l.database === 'postgres'),
    'the admin (generated role) observes the catalogs',
  );
  t.strictSame(new Set(pg.logins.map((l) => `${l.user}:${l.password}`)), new Set([`anylog:${PASSWORD}`]));
  t.notMatch(loggedText(p) + JSON.stringify(r.status), PASSWORD);
});
