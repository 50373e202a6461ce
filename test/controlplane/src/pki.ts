// Keys and static users for kube-apiserver: the service-account signing
// key pair (RSA, PKCS#8 private key, SPKI public key, PEM) and tokens.csv with the admin user in
// system:masters, plus any further users a run needs (the real node's kubelet, with only a node's rights).
// The serving certificate is self-signed by the apiserver into the same directory.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly tokensCsv: string;
  readonly adminToken: string;
  /** Tokens of the further users, by the name the caller gave them. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Written by the apiserver on start: leaf certificate followed by its CA. */
  readonly servingCert: string;
}

/** A further static user: `name` is the caller's handle, `user` and `groups` what the apiserver sees. */
export interface StaticUser {
  readonly name: string;
  readonly user: string;
  readonly groups: readonly string[];
}

export function writePki(dir: string, tokensCsv: string, users: readonly StaticUser[] = []): Pki {
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
  const tokens: Record<string, string> = {};
  const lines = [`${adminToken},admin,admin-uid,"system:masters"`];
  for (const u of users) {
    tokens[u.name] = randomBytes(16).toString('hex');
    lines.push(`${tokens[u.name]},${u.user},${u.name}-uid,"${u.groups.join(',')}"`);
  }
  writeFileSync(tokensCsv, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { dir, saKey, saPub, tokensCsv, adminToken, tokens, servingCert: join(dir, 'apiserver.crt') };
}
