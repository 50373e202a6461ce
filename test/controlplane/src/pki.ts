// Keys and static users for kube-apiserver: the service-account signing
// key pair (RSA, PKCS#8 private key, SPKI public key, PEM) and tokens.csv with the admin user in
// system:masters. The serving certificate is self-signed by the apiserver into the same directory.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly tokensCsv: string;
  readonly adminToken: string;
  /** Written by the apiserver on start: leaf certificate followed by its CA. */
  readonly servingCert: string;
}

export function writePki(dir: string, tokensCsv: string): Pki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const saKey = join(dir, 'sa.key');
  const saPub = join(dir, 'sa.pub');
  writeFileSync(saKey, privateKey, { mode: 0o600 });
  writeFileSync(saPub, publicKey, { mode: 0o644 });
  const adminToken = randomBytes(16).toString('hex');
  writeFileSync(tokensCsv, `${adminToken},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  return { dir, saKey, saPub, tokensCsv, adminToken, servingCert: join(dir, 'apiserver.crt') };
}
