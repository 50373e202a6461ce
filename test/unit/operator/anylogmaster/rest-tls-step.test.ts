// REST TLS in step 5 (steps/rest-tls.ts): the names of the server certificate, the issued CA, server and
// client Secrets (written once, kept, renewed for a reason, never taken from another owner), the user's
// Secrets read as they are, and the client side that cleanup reads without issuing anything.
import { X509Certificate } from 'node:crypto';
import t from 'tap';
import { sha256Hex } from '../../../../src/common/hash.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { FIELD_MANAGER } from '../../../../src/operator/anylogmaster/deps.js';
import { SECRETS } from '../../../../src/operator/anylogmaster/resources.js';
import { ResourceConflictError } from '../../../../src/operator/anylogmaster/steps/apply.js';
import {
  readRestClientTls,
  reconcileRestTls,
  serverNames,
  type RestTlsResult,
} from '../../../../src/operator/anylogmaster/steps/rest-tls.js';
import { certificateFacts, signedBy } from '../../../../src/operator/anylogmaster/tls/inspect.js';
import { issueCa, issueLeaf } from '../../../../src/operator/anylogmaster/tls/issue.js';
import { CA_VALIDITY_MS } from '../../../../src/operator/anylogmaster/tls/renewal.js';
import { FakeClock, UTC_NOON } from '../../../helpers/fake-clock.js';
import { crFromFixture } from '../../render/helpers.js';
import { conflict, FakeKube, serverError } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';

const HOUR = 3_600_000;
const NS = 'anylog';
const base = crFromFixture('minimal.yaml');
const withTls = (tls: Record<string, unknown>): AnyLogMaster => ({
  ...base,
  spec: { ...base.spec, rest: { tls } },
});
const issued = withTls({ enabled: true });
const user = withTls({ enabled: true, secretName: 'node-tls', clientSecretName: 'op-client' });
const POD_HOST = 'minimal-0.minimal-headless.anylog.svc';
const CA_SECRET = 'minimal-rest-ca';
const SERVER_SECRET = 'minimal-rest-tls';
const CLIENT_SECRET = 'minimal-rest-client';
const CLUSTER_IP = '10.96.0.20';
const ADVERTISED = '10.96.0.21';

const clientService = (clusterIP?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'minimal', namespace: NS },
  spec: clusterIP === undefined ? {} : { clusterIP },
});

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

function plainSecret(name: string, data: Record<string, string>, extra: object = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: NS },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...extra,
  };
}

function pem(kube: FakeKube, name: string, key: string): string {
  const data = kube.stored(SECRETS, NS, name)?.['data'] as Record<string, string> | undefined;
  const value = data?.[key];
  if (value === undefined) throw new Error(`Secret ${name} has no ${key}`);
  return unb64(value);
}

function ready(result: RestTlsResult): Extract<RestTlsResult, { kind: 'ready' }> {
  if (result.kind !== 'ready') throw new Error(`expected ready, got ${JSON.stringify(result)}`);
  return result;
}

const appliedNames = (kube: FakeKube): string[] => kube.callsOf('apply', SECRETS).map((c) => c.ref.name);

/** The issued Secrets of a first pass, in a kube the test goes on with. */
async function firstPass(clock = new FakeClock(UTC_NOON)) {
  const kube = new FakeKube();
  const pass = passFor(issued, { kube, clock });
  const result = ready(await reconcileRestTls(pass.env, clientService(CLUSTER_IP), ADVERTISED));
  return { kube, clock, result };
}

t.test('TLS off: nothing is read or written', async (t) => {
  const { env, kube } = passFor(base);
  t.same(await reconcileRestTls(env, clientService(CLUSTER_IP), ADVERTISED), { kind: 'off' });
  t.equal(await readRestClientTls(env), undefined);
  t.same(kube.calls.length, 0);
});

t.test(
  'server names: the Service names, the pod name, the cluster IP and the advertised address',
  async (t) => {
    const { env } = passFor(issued);
    const names = [
      'minimal',
      'minimal.anylog',
      'minimal.anylog.svc',
      'minimal.anylog.svc.cluster.local',
      POD_HOST,
      `${POD_HOST}.cluster.local`,
    ];
    t.same(serverNames(env, clientService(CLUSTER_IP), ADVERTISED), [...names, CLUSTER_IP, ADVERTISED]);
    t.same(serverNames(env, clientService(CLUSTER_IP), CLUSTER_IP), [...names, CLUSTER_IP], 'no duplicate');
    t.same(serverNames(env, clientService('None'), ADVERTISED), [...names, ADVERTISED], 'headless: no IP');
    t.same(serverNames(env, clientService(), ''), names, 'no cluster IP, no address');
    t.same(serverNames(env, { ...clientService(), spec: { clusterIP: 7 } }, ''), names, 'a malformed IP');
    const noSpec: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'minimal' } };
    t.same(serverNames(env, noSpec, ADVERTISED), [...names, ADVERTISED]);
  },
);

t.test('issued mode, first pass: a CA, a server and a client Secret, announced once each', async (t) => {
  const { env, kube, events } = passFor(issued);
  const result = ready(await reconcileRestTls(env, clientService(CLUSTER_IP), ADVERTISED));

  t.same(appliedNames(kube), [CA_SECRET, SERVER_SECRET, CLIENT_SECRET]);
  t.same(
    kube.callsOf('apply', SECRETS).map((c) => c.fieldManager),
    [FIELD_MANAGER, FIELD_MANAGER, FIELD_MANAGER],
  );
  t.same(
    kube.callsOf('get', SECRETS).map((c) => c.ref),
    [CA_SECRET, SERVER_SECRET, CLIENT_SECRET].map((name) => ({ namespace: NS, name })),
    'each Secret is read directly',
  );
  for (const name of [CA_SECRET, SERVER_SECRET, CLIENT_SECRET]) {
    const stored = kube.stored(SECRETS, NS, name);
    t.equal(stored?.['type'], 'kubernetes.io/tls', name);
    t.equal(
      (stored?.metadata.ownerReferences ?? []).find((o) => o.controller === true)?.uid,
      base.metadata.uid,
      `${name} is owned by the CR`,
    );
  }
  const caStored = kube.stored(SECRETS, NS, CA_SECRET)?.['data'] as Record<string, string>;
  t.notOk('ca.crt' in caStored, 'the CA Secret carries no ca.crt');

  const caPem = pem(kube, CA_SECRET, 'tls.crt');
  const serverPem = pem(kube, SERVER_SECRET, 'tls.crt');
  const clientPem = pem(kube, CLIENT_SECRET, 'tls.crt');
  t.equal(pem(kube, SERVER_SECRET, 'ca.crt'), caPem);
  t.equal(pem(kube, CLIENT_SECRET, 'ca.crt'), caPem);
  t.ok(await signedBy(serverPem, caPem));
  t.ok(await signedBy(clientPem, caPem));
  t.equal(certificateFacts(caPem)?.isCa, true);
  t.equal(certificateFacts(caPem)?.notAfterMs, UTC_NOON + CA_VALIDITY_MS);
  t.equal(new X509Certificate(caPem).subject, 'CN=anylog/minimal REST CA');
  t.equal(new X509Certificate(serverPem).subject, `CN=${POD_HOST}`);
  t.equal(new X509Certificate(clientPem).subject, 'CN=anylog/minimal REST client');
  t.same(
    certificateFacts(serverPem)?.sans,
    [...serverNames(env, clientService(CLUSTER_IP), ADVERTISED)].sort(),
  );
  t.match(new X509Certificate(serverPem).subjectAltName, /IP Address:10\.96\.0\.20/);
  t.match(new X509Certificate(serverPem).subjectAltName, /DNS:minimal\.anylog\.svc\b/);
  t.same(certificateFacts(clientPem)?.sans, []);
  t.equal(certificateFacts(serverPem)?.notAfterMs, UTC_NOON + 2160 * HOUR, 'the default 90 days');

  t.same(result.render, {
    secretName: SERVER_SECRET,
    org: 'anylog',
    certificateHash: sha256Hex(`${serverPem}\n${caPem}`),
  });
  t.same(result.client, {
    ca: caPem,
    cert: clientPem,
    key: pem(kube, CLIENT_SECRET, 'tls.key'),
    servername: POD_HOST,
  });

  t.same(
    events.map((e) => [e.type, e.reason]),
    [
      ['Normal', 'CertificateIssued'],
      ['Normal', 'CertificateIssued'],
      ['Normal', 'CertificateIssued'],
    ],
  );
  t.match(events[0]?.note, CA_SECRET);
  t.match(events[1]?.note, SERVER_SECRET);
  t.match(events[2]?.note, CLIENT_SECRET);
});

t.test('issued mode: keys appear in no Event and no log line', async (t) => {
  const { env, kube, events, log } = passFor(issued);
  await reconcileRestTls(env, clientService(CLUSTER_IP), ADVERTISED);
  const said = JSON.stringify({ events, lines: log.lines });
  for (const name of [CA_SECRET, SERVER_SECRET, CLIENT_SECRET]) {
    const key = pem(kube, name, 'tls.key');
    t.notOk(said.includes(key.split('\n')[1] ?? key), `${name} key`);
  }
  t.notMatch(said, /PRIVATE KEY|BEGIN CERTIFICATE/);
});

t.test('issued mode, later passes: the held certificates are kept, nothing is written', async (t) => {
  const { kube, clock, result } = await firstPass();
  await clock.advance(1000 * HOUR);
  const again = passFor(issued, { kube, clock });
  const before = kube.callsOf('apply').length;
  const second = ready(await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED));
  t.equal(kube.callsOf('apply').length, before, 'no write');
  t.same(again.events, [], 'no Event');
  t.same(second, result, 'the same certificates and hash');
});

t.test('a changed address renews the server certificate only', async (t) => {
  const { kube, clock, result } = await firstPass();
  const again = passFor(issued, { kube, clock });
  const before = kube.calls.length;
  const second = ready(await reconcileRestTls(again.env, clientService(CLUSTER_IP), '10.96.0.99'));
  t.same(
    kube.calls.slice(before).flatMap((c) => (c.verb === 'apply' ? [c.ref.name] : [])),
    [SERVER_SECRET],
  );
  t.same(
    again.events.map((e) => e.reason),
    ['CertificateRenewed'],
  );
  t.match(again.events[0]?.note, /names-changed/);
  const sans = certificateFacts(pem(kube, SERVER_SECRET, 'tls.crt'))?.sans ?? [];
  t.ok(sans.includes('10.96.0.99'));
  t.notOk(sans.includes(ADVERTISED));
  t.equal(second.client.cert, result.client.cert, 'the client certificate is kept');
  t.equal(second.client.ca, result.client.ca, 'the CA is kept');
  t.not(second.render.certificateHash, result.render.certificateHash, 'the pod rolls');
});

t.test('IPv6 names go into IP SANs and are stable across passes', async (t) => {
  const kube = new FakeKube();
  const first = passFor(issued, { kube });
  await reconcileRestTls(first.env, clientService(CLUSTER_IP), 'fd00::5');
  const serverPem = pem(kube, SERVER_SECRET, 'tls.crt');
  t.match(new X509Certificate(serverPem).subjectAltName, /IP Address:FD00:0:0:0:0:0:0:5/i);
  t.notMatch(new X509Certificate(serverPem).subjectAltName, /DNS:fd00/i);
  const again = passFor(issued, { kube });
  const before = kube.callsOf('apply').length;
  await reconcileRestTls(again.env, clientService(CLUSTER_IP), 'fd00::5');
  t.equal(kube.callsOf('apply').length, before);
});

t.test('leaves are renewed within renewBefore of expiry, the CA is not', async (t) => {
  const { kube, clock, result } = await firstPass();
  // notAfter − now = 720 h exactly: the renewal point (the default renewBefore is a third of 90 days).
  await clock.advance((2160 - 720) * HOUR);
  const again = passFor(issued, { kube, clock });
  const before = kube.callsOf('apply').length;
  const second = ready(await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED));
  t.same(
    kube
      .callsOf('apply')
      .slice(before)
      .map((c) => c.ref.name),
    [SERVER_SECRET, CLIENT_SECRET],
  );
  t.same(
    again.events.map((e) => e.reason),
    ['CertificateRenewed', 'CertificateRenewed'],
  );
  t.match(again.events[0]?.note, /expiring/);
  t.equal(second.client.ca, result.client.ca);
  t.equal(
    certificateFacts(pem(kube, SERVER_SECRET, 'tls.crt'))?.notAfterMs,
    UTC_NOON + (2160 - 720 + 2160) * HOUR,
  );
});

t.test('one millisecond before the renewal point the leaves are kept', async (t) => {
  const { kube, clock } = await firstPass();
  await clock.advance((2160 - 720) * HOUR - 1);
  const again = passFor(issued, { kube, clock });
  const before = kube.callsOf('apply').length;
  await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED);
  t.equal(kube.callsOf('apply').length, before);
});

t.test('a CA near its end is renewed and both leaves are issued again under it', async (t) => {
  const { kube, clock, result } = await firstPass();
  await clock.advance(CA_VALIDITY_MS - 2160 * HOUR);
  const again = passFor(issued, { kube, clock });
  const second = ready(await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED));
  t.same(
    again.events.map((e) => e.reason),
    ['CertificateRenewed', 'CertificateRenewed', 'CertificateRenewed'],
  );
  t.match(again.events[0]?.note, /expiring/);
  t.match(again.events[1]?.note, /ca-changed/);
  t.match(again.events[2]?.note, /ca-changed/);
  t.not(second.client.ca, result.client.ca);
  t.ok(await signedBy(second.client.cert, second.client.ca));
  t.equal(pem(kube, SERVER_SECRET, 'ca.crt'), second.client.ca);
});

t.test('a CA Secret without its key is issued again (unreadable)', async (t) => {
  const { kube, clock, result } = await firstPass();
  const stored = kube.stored(SECRETS, NS, CA_SECRET);
  const data = { ...(stored?.['data'] as Record<string, string>) };
  delete data['tls.key'];
  kube.seed(SECRETS, { ...(stored as KubeObject), data });
  const again = passFor(issued, { kube, clock });
  const second = ready(await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED));
  t.same(
    kube
      .callsOf('apply')
      .slice(-3)
      .map((c) => c.ref.name),
    [CA_SECRET, SERVER_SECRET, CLIENT_SECRET],
  );
  t.match(again.events[0]?.note, /unreadable/);
  t.equal(again.events[0]?.reason, 'CertificateRenewed');
  t.not(second.client.ca, result.client.ca);
});

t.test('an unparsable CA is issued as missing without a key, renewed as unreadable with one', async (t) => {
  const { kube, clock } = await firstPass();
  const stored = kube.stored(SECRETS, NS, CA_SECRET) as KubeObject;
  const data = stored['data'] as Record<string, string>;
  kube.seed(SECRETS, { ...stored, data: { 'tls.crt': b64('not a certificate') } });
  const keyless = passFor(issued, { kube, clock });
  await reconcileRestTls(keyless.env, clientService(CLUSTER_IP), ADVERTISED);
  t.equal(keyless.events[0]?.reason, 'CertificateIssued');
  t.equal(certificateFacts(pem(kube, CA_SECRET, 'tls.crt'))?.isCa, true);

  kube.seed(SECRETS, { ...stored, data: { ...data, 'tls.crt': b64('not a certificate') } });
  const keyed = passFor(issued, { kube, clock });
  await reconcileRestTls(keyed.env, clientService(CLUSTER_IP), ADVERTISED);
  t.equal(keyed.events[0]?.reason, 'CertificateRenewed');
  t.match(keyed.events[0]?.note, /unreadable/);
});

t.test('a CA Secret holding a leaf certificate is not trusted as a CA', async (t) => {
  const { kube, clock } = await firstPass();
  const stored = kube.stored(SECRETS, NS, CA_SECRET) as KubeObject;
  const leafData = kube.stored(SECRETS, NS, CLIENT_SECRET)?.['data'] as Record<string, string>;
  kube.seed(SECRETS, { ...stored, data: { 'tls.crt': leafData['tls.crt'], 'tls.key': leafData['tls.key'] } });
  const again = passFor(issued, { kube, clock });
  await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED);
  t.equal(again.events[0]?.reason, 'CertificateRenewed');
  t.match(again.events[0]?.note, /unreadable/);
  t.equal(certificateFacts(pem(kube, CA_SECRET, 'tls.crt'))?.isCa, true);
});

t.test('an empty or unparsable leaf is issued as missing', async (t) => {
  const { kube, clock } = await firstPass();
  const stored = kube.stored(SECRETS, NS, SERVER_SECRET) as KubeObject;
  const data = stored['data'] as Record<string, string>;
  kube.seed(SECRETS, { ...stored, data: { ...data, 'tls.crt': '' } });
  const again = passFor(issued, { kube, clock });
  await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(
    again.events.map((e) => e.reason),
    ['CertificateIssued'],
  );
  kube.seed(SECRETS, { ...stored, data: { ...data, 'tls.crt': b64('not a certificate') } });
  const third = passFor(issued, { kube, clock });
  await reconcileRestTls(third.env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(
    third.events.map((e) => e.reason),
    ['CertificateIssued'],
  );
  const keyless = { ...data };
  delete keyless['tls.key'];
  kube.seed(SECRETS, { ...stored, data: keyless });
  const fourth = passFor(issued, { kube, clock });
  await reconcileRestTls(fourth.env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(
    fourth.events.map((e) => e.reason),
    ['CertificateIssued'],
    'a leaf without its key',
  );
});

t.test('a leaf whose ca.crt or signature is not the current CA is issued again', async (t) => {
  const { kube, clock, result } = await firstPass();
  const other = await issueCa({ commonName: 'other', nowMs: UTC_NOON, validityMs: CA_VALIDITY_MS });
  const stored = kube.stored(SECRETS, NS, SERVER_SECRET) as KubeObject;
  const data = stored['data'] as Record<string, string>;
  kube.seed(SECRETS, { ...stored, data: { ...data, 'ca.crt': b64(other.certPem) } });
  const again = passFor(issued, { kube, clock });
  await reconcileRestTls(again.env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(
    again.events.map((e) => e.reason),
    ['CertificateRenewed'],
  );
  t.match(again.events[0]?.note, /ca-changed/);

  // ca.crt names the current CA, but another CA signed the certificate.
  const names = serverNames(again.env, clientService(CLUSTER_IP), ADVERTISED);
  const forged = await issueLeaf(other, {
    commonName: POD_HOST,
    usage: 'server',
    dnsNames: names.filter((n) => !/^\d/.test(n)),
    ipAddresses: [CLUSTER_IP, ADVERTISED],
    nowMs: UTC_NOON,
    validityMs: 2160 * HOUR,
  });
  kube.seed(SECRETS, {
    ...stored,
    data: { 'tls.crt': b64(forged.certPem), 'tls.key': b64(forged.keyPem), 'ca.crt': b64(result.client.ca) },
  });
  const third = passFor(issued, { kube, clock });
  await reconcileRestTls(third.env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(
    third.events.map((e) => e.reason),
    ['CertificateRenewed'],
  );
  t.match(third.events[0]?.note, /ca-changed/);
  t.ok(await signedBy(pem(kube, SERVER_SECRET, 'tls.crt'), result.client.ca));
});

t.test('a Secret of another owner under an issued name is refused and not written', async (t) => {
  for (const name of [CA_SECRET, SERVER_SECRET, CLIENT_SECRET]) {
    const { env, kube, events } = passFor(issued);
    kube.seed(SECRETS, plainSecret(name, { 'tls.crt': 'theirs', 'tls.key': 'theirs' }), { cached: false });
    await t.rejects(
      reconcileRestTls(env, clientService(CLUSTER_IP), ADVERTISED),
      ResourceConflictError,
      name,
    );
    t.notOk(appliedNames(kube).includes(name), `${name} is not written`);
    t.equal(
      unb64((kube.stored(SECRETS, NS, name)?.['data'] as Record<string, string>)['tls.crt'] ?? ''),
      'theirs',
    );
    t.equal(events.filter((e) => e.note.includes(name)).length, 0);
  }
});

t.test(
  'API errors end the step: a failed read writes nothing, a failed write announces nothing',
  async (t) => {
    const read = passFor(issued);
    const boom = serverError('etcd down');
    read.kube.failNext('get', boom, SECRETS);
    await t.rejects(reconcileRestTls(read.env, clientService(CLUSTER_IP), ADVERTISED), boom);
    t.equal(read.kube.callsOf('apply').length, 0);

    const write = passFor(issued);
    const clash = conflict();
    write.kube.failNext('apply', clash, SECRETS);
    await t.rejects(reconcileRestTls(write.env, clientService(CLUSTER_IP), ADVERTISED), clash);
    t.same(appliedNames(write.kube), [CA_SECRET]);
    t.same(write.events, []);
  },
);

const userSecrets = (kube: FakeKube, server: Record<string, string>, client: Record<string, string>) => {
  kube.seed(SECRETS, plainSecret('node-tls', server), { cached: false });
  kube.seed(SECRETS, plainSecret('op-client', client), { cached: false });
};
const SERVER_PEMS = { 'tls.crt': 'server-cert', 'tls.key': 'server-key', 'ca.crt': 'user-ca' };
const CLIENT_PEMS = { 'tls.crt': 'client-cert', 'tls.key': 'client-key', 'ca.crt': 'client-ca' };

t.test("user mode: the user's Secrets are read as they are, of any owner, and never written", async (t) => {
  const { env, kube, events } = passFor(user);
  userSecrets(kube, SERVER_PEMS, CLIENT_PEMS);
  const result = await reconcileRestTls(env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(result, {
    kind: 'ready',
    render: { secretName: 'node-tls', org: 'anylog', certificateHash: sha256Hex('server-cert\nuser-ca') },
    client: { ca: 'user-ca', cert: 'client-cert', key: 'client-key', servername: POD_HOST },
  });
  t.equal(kube.callsOf('apply').length, 0);
  t.same(events, []);
  t.same(
    kube.callsOf('get', SECRETS).map((c) => c.ref.name),
    ['node-tls', 'op-client'],
  );
});

t.test('user mode: a missing Secret or key stalls with SecretNotFound', async (t) => {
  const missing = passFor(user);
  const none = await reconcileRestTls(missing.env, clientService(CLUSTER_IP), ADVERTISED);
  t.same(none, {
    kind: 'stalled',
    stalled: { reason: 'SecretNotFound', message: 'Secret node-tls not found in namespace anylog' },
  });
  t.equal(missing.kube.callsOf('get', SECRETS).length, 1, 'the client Secret is not read');

  const noClient = passFor(user);
  noClient.kube.seed(SECRETS, plainSecret('node-tls', SERVER_PEMS));
  const c = await reconcileRestTls(noClient.env, clientService(CLUSTER_IP), ADVERTISED);
  t.equal(c.kind, 'stalled');
  t.match(c, { stalled: { reason: 'SecretNotFound', message: /op-client not found/ } });

  const keys = passFor(user);
  userSecrets(keys.kube, { 'tls.crt': 'server-cert', 'tls.key': '' }, CLIENT_PEMS);
  t.same(await reconcileRestTls(keys.env, clientService(CLUSTER_IP), ADVERTISED), {
    kind: 'stalled',
    stalled: { reason: 'SecretNotFound', message: 'Secret node-tls has no key tls.key, ca.crt' },
  });

  const clientKeys = passFor(user);
  userSecrets(clientKeys.kube, SERVER_PEMS, { 'tls.key': 'k', 'ca.crt': 'c' });
  t.same(await reconcileRestTls(clientKeys.env, clientService(CLUSTER_IP), ADVERTISED), {
    kind: 'stalled',
    stalled: { reason: 'SecretNotFound', message: 'Secret op-client has no key tls.crt' },
  });

  const noCa = passFor(user);
  userSecrets(noCa.kube, { 'tls.crt': 'server-cert', 'tls.key': 'server-key' }, CLIENT_PEMS);
  t.same(await reconcileRestTls(noCa.env, clientService(CLUSTER_IP), ADVERTISED), {
    kind: 'stalled',
    stalled: { reason: 'SecretNotFound', message: 'Secret node-tls has no key ca.crt' },
  });

  const noData = passFor(user);
  noData.kube.seed(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'node-tls', namespace: NS },
  });
  t.match(await reconcileRestTls(noData.env, clientService(CLUSTER_IP), ADVERTISED), {
    stalled: { reason: 'SecretNotFound', message: 'Secret node-tls has no key tls.crt, tls.key, ca.crt' },
  });
  const badValue = passFor(user);
  badValue.kube.seed(SECRETS, { ...plainSecret('node-tls', SERVER_PEMS), data: { 'tls.crt': 5 } });
  t.match(await reconcileRestTls(badValue.env, clientService(CLUSTER_IP), ADVERTISED), {
    stalled: { message: 'Secret node-tls has no key tls.crt, tls.key, ca.crt' },
  });
  t.equal(keys.kube.callsOf('apply').length + clientKeys.kube.callsOf('apply').length, 0);
});

t.test('only a server and a client Secret together select user mode', async (t) => {
  // Validation rejects one without the other; a pass built around it still issues its own.
  const { env, kube } = passFor(issued);
  const half = {
    ...env,
    spec: { ...env.spec, rest: { tls: { ...env.spec.rest.tls, secretName: 'node-tls' } } },
  };
  userSecrets(kube, SERVER_PEMS, CLIENT_PEMS);
  const result = ready(await reconcileRestTls(half, clientService(CLUSTER_IP), ADVERTISED));
  t.equal(result.render.secretName, SERVER_SECRET);
  t.same(appliedNames(kube), [CA_SECRET, SERVER_SECRET, CLIENT_SECRET]);
  t.equal(await readRestClientTls(half).then((c) => c?.cert), result.client.cert);
});

t.test('the client side for cleanup: read from the issued Secrets, never issued', async (t) => {
  const { kube, clock, result } = await firstPass();
  const cleanup = passFor(issued, { kube, clock });
  const before = kube.calls.length;
  t.same(await readRestClientTls(cleanup.env), result.client);
  t.same(
    kube.calls.slice(before).map((c) => [c.verb, c.ref.name]),
    [['get', CLIENT_SECRET]],
  );

  const empty = passFor(issued);
  await t.rejects(readRestClientTls(empty.env), {
    message: `Secret ${CLIENT_SECRET} not found in namespace anylog`,
  });
  t.equal(empty.kube.callsOf('apply').length, 0, 'nothing is issued');
  t.same(empty.events, []);
});

t.test("the client side in user mode: the client's pair and the server Secret's CA", async (t) => {
  const { env, kube } = passFor(user);
  userSecrets(kube, SERVER_PEMS, CLIENT_PEMS);
  t.same(await readRestClientTls(env), {
    ca: 'user-ca',
    cert: 'client-cert',
    key: 'client-key',
    servername: POD_HOST,
  });
  t.same(
    kube.callsOf('get', SECRETS).map((c) => c.ref.name),
    ['op-client', 'node-tls'],
  );

  const noServer = passFor(user);
  noServer.kube.seed(SECRETS, plainSecret('op-client', CLIENT_PEMS));
  await t.rejects(readRestClientTls(noServer.env), {
    message: 'Secret node-tls not found in namespace anylog',
  });
  const noClient = passFor(user);
  noClient.kube.seed(SECRETS, plainSecret('node-tls', SERVER_PEMS));
  await t.rejects(readRestClientTls(noClient.env), {
    message: 'Secret op-client not found in namespace anylog',
  });
});
