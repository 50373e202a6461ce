// Issuance checked by an independent reader (node:crypto's X509Certificate) and by a real TLS handshake on
// loopback, plus the renewal decisions on a fixed clock.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import t from 'tap';
import { certificateFacts, signedBy } from '../../../../src/operator/anylogmaster/tls/inspect.js';
import { issueCa, issueLeaf } from '../../../../src/operator/anylogmaster/tls/issue.js';
import {
  CA_VALIDITY_MS,
  caRenewal,
  leafRenewal,
  leafValidityMs,
} from '../../../../src/operator/anylogmaster/tls/renewal.js';

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const policy = { durationHours: 2160, renewBeforeHours: 720 };
const DNS = ['master.anylog.svc', 'master-0.master-headless.anylog.svc'];

async function fixture(nowMs = NOW) {
  const ca = await issueCa({ commonName: 'anylog/master REST CA', nowMs, validityMs: CA_VALIDITY_MS });
  const server = await issueLeaf(ca, {
    commonName: 'master-0',
    usage: 'server',
    dnsNames: DNS,
    ipAddresses: ['10.96.0.20', '127.0.0.1'],
    nowMs,
    validityMs: leafValidityMs(policy),
  });
  const client = await issueLeaf(ca, {
    commonName: 'client',
    usage: 'client',
    dnsNames: [],
    ipAddresses: [],
    nowMs,
    validityMs: leafValidityMs(policy),
  });
  return { ca, server, client };
}

t.test('the CA is a self-signed P-256 CA valid for ten years', async (t) => {
  const { ca } = await fixture();
  const cert = new X509Certificate(ca.certPem);
  t.equal(cert.ca, true);
  t.ok(cert.verify(cert.publicKey), 'self-signed');
  t.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  t.equal(Date.parse(cert.validTo), Math.floor((NOW + CA_VALIDITY_MS) / 1000) * 1000);
  t.equal(createPrivateKey(ca.keyPem).asymmetricKeyType, 'ec', 'the key is PKCS#8 EC');
});

t.test('the server leaf carries the SANs, the validity and the CA signature', async (t) => {
  const { ca, server, client } = await fixture();
  const caCert = new X509Certificate(ca.certPem);
  const cert = new X509Certificate(server.certPem);
  t.equal(cert.ca, false);
  t.ok(cert.checkIssued(caCert), 'issued by the CA');
  t.ok(cert.verify(caCert.publicKey), 'signature verifies with the CA key');
  t.same(
    cert.subjectAltName?.split(', ').sort(),
    [...DNS.map((d) => `DNS:${d}`), 'IP Address:10.96.0.20', 'IP Address:127.0.0.1'].sort(),
  );
  t.equal(Date.parse(cert.validTo), Math.floor((NOW + 2160 * HOUR) / 1000) * 1000);
  t.ok(Date.parse(cert.validFrom) < NOW, 'back-dated for clock skew');
  t.ok(cert.keyUsage.includes('1.3.6.1.5.5.7.3.1'), 'serverAuth');
  t.ok(new X509Certificate(client.certPem).keyUsage.includes('1.3.6.1.5.5.7.3.2'), 'clientAuth');
  t.ok(await signedBy(server.certPem, ca.certPem));
  const other = await issueCa({ commonName: 'other', nowMs: NOW, validityMs: CA_VALIDITY_MS });
  t.notOk(await signedBy(server.certPem, other.certPem), 'another CA did not sign it');
  t.notOk(await signedBy('not a certificate', ca.certPem));
});

t.test('certificateFacts reads validity, SANs and the CA flag', async (t) => {
  const { ca, server } = await fixture();
  const facts = certificateFacts(server.certPem);
  t.same(facts?.sans, ['10.96.0.20', '127.0.0.1', ...DNS].sort());
  t.equal(facts?.notAfterMs, Math.floor((NOW + 2160 * HOUR) / 1000) * 1000);
  t.equal(facts?.isCa, false);
  t.equal(certificateFacts(ca.certPem)?.isCa, true);
  t.equal(certificateFacts('garbage'), undefined);
});

async function handshake(port: number, ca: string, client?: { cert: string; key: string }): Promise<string> {
  const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: DNS[1], ...client });
  socket.on('error', () => undefined);
  try {
    const [reply] = (await Promise.race([once(socket, 'data'), once(socket, 'close')])) as [unknown];
    return Buffer.isBuffer(reply) ? reply.toString() : 'closed';
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    socket.destroy();
  }
}

t.test(
  'a TLS server with the issued pair refuses clients without the issued client certificate',
  async (t) => {
    // A real handshake checks validity against the real clock, so these pairs are issued now.
    const { ca, server, client } = await fixture(Date.now());
    const listener = tls.createServer(
      {
        cert: server.certPem,
        key: server.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (s) => s.end('hello'),
    );
    listener.on('tlsClientError', () => undefined);
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    t.teardown(() => listener.close());
    const { port } = listener.address() as AddressInfo;
    t.equal(await handshake(port, ca.certPem, { cert: client.certPem, key: client.keyPem }), 'hello');
    t.not(await handshake(port, ca.certPem), 'hello', 'no client certificate: refused');
    const stranger = await issueCa({ commonName: 'stranger', nowMs: Date.now(), validityMs: CA_VALIDITY_MS });
    const foreign = await issueLeaf(stranger, {
      commonName: 'x',
      usage: 'client',
      dnsNames: [],
      ipAddresses: [],
      nowMs: Date.now(),
      validityMs: leafValidityMs(policy),
    });
    t.not(
      await handshake(port, ca.certPem, { cert: foreign.certPem, key: foreign.keyPem }),
      'hello',
      'a client certificate from another CA: refused',
    );
  },
);

t.test('leaf renewal: missing, CA changed, at renewBefore, names changed', async (t) => {
  const { server } = await fixture();
  const facts = certificateFacts(server.certPem);
  const sans = facts?.sans ?? [];
  const base = { policy, wantSans: sans, signedByCurrentCa: true };
  const expiry = NOW + 2160 * HOUR;
  t.equal(leafRenewal(undefined, { ...base, nowMs: NOW }), 'missing');
  t.equal(leafRenewal(facts, { ...base, nowMs: NOW }), undefined, 'fresh: kept');
  t.equal(leafRenewal(facts, { ...base, nowMs: expiry - 720 * HOUR - 1 }), undefined, 'just before 2/3');
  t.equal(leafRenewal(facts, { ...base, nowMs: expiry - 720 * HOUR }), 'expiring', 'at 2/3 of its life');
  t.equal(leafRenewal(facts, { ...base, nowMs: expiry + HOUR }), 'expiring', 'expired');
  t.equal(leafRenewal(facts, { ...base, nowMs: NOW, signedByCurrentCa: false }), 'ca-changed');
  t.equal(leafRenewal(facts, { ...base, nowMs: NOW, wantSans: [...sans, '10.0.0.9'] }), 'names-changed');
  t.equal(leafRenewal(facts, { ...base, nowMs: NOW, wantSans: [...sans].reverse() }), undefined, 'order');
  t.equal(leafRenewal(facts, { ...base, nowMs: NOW, wantSans: [] }), undefined, 'client: names unchecked');
});

t.test('CA renewal: missing, unreadable, while a whole leaf lifetime still fits', async (t) => {
  const { ca, server } = await fixture();
  const facts = certificateFacts(ca.certPem);
  const caExpiry = NOW + CA_VALIDITY_MS;
  t.equal(caRenewal(undefined, policy, NOW, false), 'missing');
  t.equal(caRenewal(undefined, policy, NOW, true), 'unreadable');
  t.equal(caRenewal(facts, policy, NOW, false), 'unreadable', 'no key');
  t.equal(caRenewal(certificateFacts(server.certPem), policy, NOW, true), 'unreadable', 'not a CA');
  t.equal(caRenewal(facts, policy, NOW, true), undefined);
  t.equal(caRenewal(facts, policy, caExpiry - 2160 * HOUR - 1, true), undefined);
  t.equal(caRenewal(facts, policy, caExpiry - 2160 * HOUR, true), 'expiring');
});
