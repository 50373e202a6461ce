// Certificates for TLS tests, made in memory with @peculiar/x509 (ECDSA P-256, valid for a day): a CA,
// server certificates with IP/DNS SANs and client certificates, all as PEM texts; and the AnyLog file
// layout of a REST server's pem directory.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

x509.cryptoProvider.set(globalThis.crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Issued {
  readonly cert: string;
  readonly key: string;
}

export interface Authority extends Issued {
  readonly name: string;
  issue(options: IssueOptions): Promise<Issued>;
}

export interface IssueOptions {
  readonly commonName: string;
  /** 'server' adds serverAuth and the SANs; 'client' adds clientAuth. */
  readonly use: 'server' | 'client';
  readonly ips?: readonly string[];
  readonly dns?: readonly string[];
}

let serial = 1;

async function keyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + DAY_MS) };
}

/** A self-signed CA that issues server and client certificates. */
export async function createAuthority(name: string): Promise<Authority> {
  const keys = await generateKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: `CN=${name}`,
    ...validity(),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const issue = async (o: IssueOptions): Promise<Issued> => {
    const leafKeys = await generateKeys();
    const sans = [
      ...(o.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
      ...(o.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ];
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (serial++).toString(16).padStart(2, '0'),
      subject: `CN=${o.commonName}`,
      issuer: caCert.subject,
      ...validity(),
      signingAlgorithm: ALG,
      publicKey: leafKeys.publicKey,
      signingKey: keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [o.use === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
          false,
        ),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
        ...(sans.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(sans, false)]),
      ],
    });
    return { cert: cert.toString('pem'), key: await keyPem(leafKeys) };
  };
  return { name, cert: caCert.toString('pem'), key: await keyPem(keys), issue };
}

/** Write AnyLog's REST server files into `dir`: the server's certificate and key and the CA's certificate. */
export function writeRestPemFiles(
  dir: string,
  caOrg: string,
  serverOrg: string,
  ca: Issued,
  server: Issued,
): void {
  writeFileSync(join(dir, `ca-${caOrg}-public-key.crt`), ca.cert);
  writeFileSync(join(dir, `server-${serverOrg}-public-key.crt`), server.cert);
  writeFileSync(join(dir, `server-${serverOrg}-private-key.key`), server.key, { mode: 0o600 });
}
