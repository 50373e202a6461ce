// What the operator says when it issues or renews a REST TLS certificate (the Event note users read with
// `kubectl describe` and the log record beside it: first issue reads "issued", a renewal names its reason,
// both give the expiry), and that the client certificate, which has no names, carries no empty
// subjectAltName extension (RFC 5280 forbids an empty one; strict verifiers refuse it).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import t from 'tap';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { SECRETS } from '../../../../src/operator/anylogmaster/resources.js';
import { reconcileRestTls } from '../../../../src/operator/anylogmaster/steps/rest-tls.js';
import { crFromFixture } from '../../render/helpers.js';
import { FakeKube } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';

const NS = 'anylog';
const base = crFromFixture('minimal.yaml');
const issued: AnyLogMaster = { ...base, spec: { ...base.spec, rest: { tls: { enabled: true } } } };

const clientService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'minimal', namespace: NS },
  spec: { clusterIP: '10.96.0.20' },
};

/** The announcement log records of a pass: message, level and the fields besides the Secret name. */
function announcements(records: Record<string, unknown>[]) {
  return records
    .filter((r) => typeof r['msg'] === 'string' && r['msg'].startsWith('REST '))
    .map((r) => ({ level: r['level'], msg: r['msg'], reason: r['reason'], notAfter: r['notAfter'] }));
}

function certificateOf(kube: FakeKube, name: string): x509.X509Certificate {
  const data = kube.stored(SECRETS, NS, name)?.['data'] as Record<string, string> | undefined;
  const value = data?.['tls.crt'];
  if (value === undefined) throw new Error(`Secret ${name} has no tls.crt`);
  return new x509.X509Certificate(Buffer.from(value, 'base64').toString('utf8'));
}

t.test('a first issue is announced as issued, with the expiry, in Events and log records', async (t) => {
  const { env, events, log } = passFor(issued);
  await reconcileRestTls(env, clientService, '10.96.0.21');

  t.same(
    events.map((e) => [e.type, e.reason, e.note]),
    [
      [
        'Normal',
        'CertificateIssued',
        'REST CA certificate in Secret minimal-rest-ca issued, valid until 2036-11-23T12:00:00.000Z',
      ],
      [
        'Normal',
        'CertificateIssued',
        'REST server certificate in Secret minimal-rest-tls issued, valid until 2027-02-24T12:00:00.000Z',
      ],
      [
        'Normal',
        'CertificateIssued',
        'REST client certificate in Secret minimal-rest-client issued, valid until 2027-02-24T12:00:00.000Z',
      ],
    ],
  );
  t.same(announcements(log.records), [
    { level: 30, msg: 'REST CA certificate issued', reason: 'missing', notAfter: '2036-11-23T12:00:00.000Z' },
    {
      level: 30,
      msg: 'REST server certificate issued',
      reason: 'missing',
      notAfter: '2027-02-24T12:00:00.000Z',
    },
    {
      level: 30,
      msg: 'REST client certificate issued',
      reason: 'missing',
      notAfter: '2027-02-24T12:00:00.000Z',
    },
  ]);
});

t.test('a renewal is announced as renewed with its reason', async (t) => {
  const kube = new FakeKube();
  const first = passFor(issued, { kube });
  await reconcileRestTls(first.env, clientService, '10.96.0.21');
  const again = passFor(issued, { kube, clock: first.clock });
  await reconcileRestTls(again.env, clientService, '10.96.0.99');

  t.same(
    again.events.map((e) => [e.type, e.reason, e.note]),
    [
      [
        'Normal',
        'CertificateRenewed',
        'REST server certificate in Secret minimal-rest-tls renewed (names-changed), valid until 2027-02-24T12:00:00.000Z',
      ],
    ],
  );
  t.same(announcements(again.log.records), [
    {
      level: 30,
      msg: 'REST server certificate renewed (names-changed)',
      reason: 'names-changed',
      notAfter: '2027-02-24T12:00:00.000Z',
    },
  ]);
});

t.test('the announcement log record names the Secret', async (t) => {
  const { env, log } = passFor(issued);
  await reconcileRestTls(env, clientService, '10.96.0.21');
  t.same(
    log.records.filter((r) => r['msg'] === 'REST CA certificate issued').map((r) => r['secretName']),
    ['minimal-rest-ca'],
  );
});

t.test(
  'the client certificate has no subjectAltName extension, the server certificate has one',
  async (t) => {
    const { env, kube } = passFor(issued);
    await reconcileRestTls(env, clientService, '10.96.0.21');
    t.equal(
      certificateOf(kube, 'minimal-rest-client').getExtension(x509.SubjectAlternativeNameExtension),
      null,
    );
    t.not(certificateOf(kube, 'minimal-rest-tls').getExtension(x509.SubjectAlternativeNameExtension), null);
  },
);
