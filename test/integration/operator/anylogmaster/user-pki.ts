// A certificate authority made the way a user (or cert-manager) would, independent of the operator's own
// issuing code, so the user-Secret suites do not trust the code they check. ECDSA P-256 / SHA-256 keys
// from Node's WebCrypto; @peculiar/x509 builds the certificates.
import { webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** PEM texts of one certificate, its PKCS#8 key, and the CA certificate that signed it. */
export interface UserCertificate {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

export interface UserCa {
  readonly cert: string;
  /** A server certificate for `dnsNames` (serverAuth). */
  server(dnsNames: readonly string[]): Promise<UserCertificate>;
  /** A client certificate (clientAuth) with `commonName`. */
  client(commonName: string): Promise<UserCertificate>;
}

let serial = 0;
/** Distinct positive serials within a run; the leading 0x01 keeps them positive and non-zero. */
function nextSerial(): string {
  serial += 1;
  return `01${Date.now().toString(16).padStart(12, '0')}${serial.toString(16).padStart(4, '0')}`;
}

async function pkcs8(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

const validity = () => ({
  notBefore: new Date(Date.now() - DAY_MS),
  notAfter: new Date(Date.now() + 30 * DAY_MS),
});

/** A new self-signed CA named `commonName`, able to sign the server and client certificates. */
export async function userCa(commonName: string): Promise<UserCa> {
  const caKeys = await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: [{ CN: [commonName] }],
    ...validity(),
    keys: caKeys,
    signingAlgorithm: SIGNING_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caPem = caCert.toString('pem');

  const leaf = async (
    cn: string,
    usage: x509.ExtendedKeyUsage,
    dnsNames: readonly string[],
  ): Promise<UserCertificate> => {
    const keys = await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject: [{ CN: [cn] }],
      issuer: caCert.subject,
      ...validity(),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: SIGNING_ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage], false),
        ...(dnsNames.length === 0
          ? []
          : [new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns', value })))]),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ],
    });
    return { cert: cert.toString('pem'), key: await pkcs8(keys.privateKey), ca: caPem };
  };

  return {
    cert: caPem,
    server: (dnsNames) => leaf(dnsNames[0] ?? 'server', x509.ExtendedKeyUsage.serverAuth, dnsNames),
    client: (cn) => leaf(cn, x509.ExtendedKeyUsage.clientAuth, []),
  };
}

/** A Secret in the cert-manager layout (`tls.crt`, `tls.key`, `ca.crt`) holding `pair`. */
export function userTlsSecret(
  namespace: string,
  name: string,
  pair: UserCertificate,
): Record<string, unknown> {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name, namespace },
    data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key), 'ca.crt': b64(pair.ca) },
  };
}
