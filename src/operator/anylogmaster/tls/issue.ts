// Issuing the REST API's certificates: a CA, server and client leaves, all ECDSA P-256 / SHA-256.
// @peculiar/x509 builds and parses the X.509 structures (Node's crypto can read certificates but cannot
// create them); the keys and signatures come from Node's own WebCrypto (the library's default provider is the global `crypto`, which is Node's). P-256 is accepted by node:tls,
// OpenSSL-based servers and curl alike, and its keys are small enough to regenerate on every renewal.
import { webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Back-dating absorbs clock skew between the operator and the clients that check the certificate. */
const BACKDATE_MS = 5 * 60_000;

/** A certificate and its private key, both PEM (the key PKCS#8). */
export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CaRequest {
  readonly commonName: string;
  readonly nowMs: number;
  readonly validityMs: number;
}

export interface LeafRequest {
  readonly commonName: string;
  readonly usage: 'server' | 'client';
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly nowMs: number;
  readonly validityMs: number;
}

/** A positive random 128-bit serial number (RFC 5280 allows at most 20 octets). */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALG, false, ['sign']);
}

const validity = (nowMs: number, validityMs: number): { notBefore: Date; notAfter: Date } => ({
  notBefore: new Date(nowMs - BACKDATE_MS),
  notAfter: new Date(nowMs + validityMs),
});

/** A self-signed CA that may sign leaves only (path length 0). */
export async function issueCa(request: CaRequest): Promise<KeyPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [request.commonName] }],
    ...validity(request.nowMs, request.validityMs),
    keys,
    signingAlgorithm: SIGNING_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** A leaf signed by `ca` for TLS server or client authentication, with the given SANs. */
export async function issueLeaf(ca: KeyPair, request: LeafRequest): Promise<KeyPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await newKeys();
  const sans: x509.JsonGeneralName[] = [
    ...request.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...request.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  const purpose =
    request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [request.commonName] }],
    issuer: caCert.subject,
    ...validity(request.nowMs, request.validityMs),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: SIGNING_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([purpose], false),
      ...(sans.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(sans, false)]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}
