// What the REST TLS suites do as a client of the node: curl with or without a client certificate through
// the pod's stable DNS name, a raw handshake that reports which certificate the node presents, and a
// search of the operator's objects for certificate or key material that must stay in the Secrets.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { Test } from 'tap';
import { getJson, run, type RunResult } from './cluster.js';

export const REST_PORT = 32049;

/** PEM texts a client presents (`cert`, `key`) and trusts (`ca`). */
export interface ClientPems {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/** The decoded value of `key` in a Secret read with `kubectl get -o json` ('' when absent). */
export const pemOf = (secret: { data?: Record<string, string> }, key: string): string =>
  Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');

/** The three PEM texts of a cert-manager style Secret. */
export const clientPemsOf = (secret: { data?: Record<string, string> }): ClientPems => ({
  cert: pemOf(secret, 'tls.crt'),
  key: pemOf(secret, 'tls.key'),
  ca: pemOf(secret, 'ca.crt'),
});

/** SHA-256 fingerprint in the form `getPeerCertificate().fingerprint256` uses. */
export const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

export async function podIP(namespace: string, name: string): Promise<string> {
  return (await getJson(['-n', namespace, 'pod', `${name}-0`])).status.podIP as string;
}

/** The pod's stable DNS name, which the server certificate must carry. */
export const podHost = (namespace: string, name: string): string =>
  `${name}-0.${name}-headless.${namespace}.svc`;

/** The certificate the node at `ip` presents; the handshake presents `client` so the node completes it. */
export async function presentedCertificate(
  ip: string,
  client: ClientPems,
): Promise<{ fingerprint256: string; serialNumber: string }> {
  const socket = tls.connect({ host: ip, port: REST_PORT, ...client, rejectUnauthorized: false });
  try {
    await once(socket, 'secureConnect');
    const peer = socket.getPeerCertificate();
    return { fingerprint256: peer.fingerprint256, serialNumber: peer.serialNumber };
  } finally {
    socket.destroy();
  }
}

/** Writes `pems` to files curl can read, in a directory removed in teardown. */
export function clientFiles(t: Test, pems: ClientPems): { cert: string; key: string; ca: string } {
  const dir = mkdtempSync(join(tmpdir(), 'alm-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), ca: join(dir, 'ca.crt') };
  writeFileSync(files.cert, pems.cert);
  writeFileSync(files.key, pems.key, { mode: 0o600 });
  writeFileSync(files.ca, pems.ca);
  return files;
}

/**
 * curl `command` against the node of AnyLogMaster `name` by its stable DNS name (resolved to the pod IP),
 * trusting `files.ca` and presenting the client certificate only when `withCert`.
 */
export async function restCurl(
  namespace: string,
  name: string,
  files: { cert: string; key: string; ca: string },
  command: string,
  withCert: boolean,
): Promise<RunResult> {
  const host = podHost(namespace, name);
  return run('curl', [
    '-sS',
    '--max-time',
    '10',
    '--resolve',
    `${host}:${REST_PORT}:${await podIP(namespace, name)}`,
    '--cacert',
    files.ca,
    ...(withCert ? ['--cert', files.cert, '--key', files.key] : []),
    '-H',
    'User-Agent: AnyLog/1.23',
    '-H',
    `command: ${command}`,
    `https://${host}:${REST_PORT}/`,
  ]);
}

/** The base64 body of a PEM block (what a Secret or a careless log would carry of it). */
const pemBody = (pem: string): string => pem.replace(/-----[^-]+-----|\s/g, '');

/**
 * Which of `pems` (keys or certificates) appear in `text`: as PEM markers, as the PEM's base64 body (also
 * when split over escaped or real line breaks), or as the base64 of the whole PEM (a Secret's `data`
 * encoding). Empty when none leaked.
 */
export function leakedMaterial(text: string, pems: readonly string[]): string[] {
  const found: string[] = [];
  for (const marker of ['PRIVATE KEY', 'BEGIN CERTIFICATE']) if (text.includes(marker)) found.push(marker);
  const compact = text.replace(/\\n|\s/g, '');
  for (const [i, pem] of pems.entries()) {
    // The tail of the body is the public key or the signature: random, unlike the DER header in front.
    if (compact.includes(pemBody(pem).slice(-64))) found.push(`body of PEM #${i}`);
    // The slice starts on a 4-character boundary, so it is what base64 of the whole PEM always contains.
    if (text.includes(Buffer.from(pem).toString('base64').slice(64, 128))) found.push(`base64 of PEM #${i}`);
  }
  return found;
}
