// What the issued certificates mark critical (RFC 5280 wants basicConstraints and keyUsage critical on a CA,
// so strict verifiers refuse a chain without it), and which subject alternative names the reader reports
// from a certificate someone else issued.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import t from 'tap';
import { certificateFacts } from '../../../../src/operator/anylogmaster/tls/inspect.js';
import { issueCa, issueLeaf } from '../../../../src/operator/anylogmaster/tls/issue.js';

const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

/** Extension name → its critical flag, for the extensions the certificate has. */
function criticality(pem: string): Record<string, boolean> {
  const cert = new x509.X509Certificate(pem);
  const read: [string, x509.Extension | null][] = [
    ['basicConstraints', cert.getExtension(x509.BasicConstraintsExtension)],
    ['keyUsage', cert.getExtension(x509.KeyUsagesExtension)],
    ['extendedKeyUsage', cert.getExtension(x509.ExtendedKeyUsageExtension)],
    ['subjectAltName', cert.getExtension(x509.SubjectAlternativeNameExtension)],
  ];
  return Object.fromEntries(read.flatMap(([name, ext]) => (ext === null ? [] : [[name, ext.critical]])));
}

t.test('the CA marks basicConstraints and keyUsage critical', async (t) => {
  const ca = await issueCa({ commonName: 'ca', nowMs: NOW, validityMs: 365 * DAY });
  t.same(criticality(ca.certPem), { basicConstraints: true, keyUsage: true });
});

t.test('a leaf marks basicConstraints and keyUsage critical, its purpose and names not', async (t) => {
  const ca = await issueCa({ commonName: 'ca', nowMs: NOW, validityMs: 365 * DAY });
  const leaf = await issueLeaf(ca, {
    commonName: 'master-0',
    usage: 'server',
    dnsNames: ['master.anylog.svc'],
    ipAddresses: ['10.96.0.20'],
    nowMs: NOW,
    validityMs: 90 * DAY,
  });
  t.same(criticality(leaf.certPem), {
    basicConstraints: true,
    keyUsage: true,
    extendedKeyUsage: false,
    subjectAltName: false,
  });
});

t.test('only DNS and IP names of a foreign certificate count as its SANs', async (t) => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=foreign',
    notBefore: new Date(NOW),
    notAfter: new Date(NOW + DAY),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'url', value: 'spiffe://cluster.local/ns/anylog/sa/master' },
        { type: 'dns', value: 'master.anylog.svc' },
        { type: 'email', value: 'ops@example.com' },
        { type: 'ip', value: '10.96.0.20' },
      ]),
    ],
  });
  t.same(certificateFacts(cert.toString('pem'))?.sans, ['10.96.0.20', 'master.anylog.svc']);
});
