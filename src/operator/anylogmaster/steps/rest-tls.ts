// Part of step 5 when `spec.rest.tls.enabled`: make sure the server and client certificates exist before
// the pod that mounts them. Issued mode keeps a CA and two leaves in Secrets the CR owns and renews them
// (renewal.ts); user mode reads the named Secrets on every pass, so a rotation by cert-manager or by hand
// reaches the pod within one resync. Secrets are read with a direct GET, never from the cache: a stale
// cache right after an issue would otherwise issue again. Keys stay in Secrets and in memory only.
import {
  nodePodHost,
  restCaSecretName,
  restClientSecretName,
  restServerSecretName,
} from '../../../api/names.js';
import type { ResolvedRestTls } from '../../../api/types.js';
import {
  TLS_CA_KEY,
  TLS_CERT_KEY,
  TLS_KEY_KEY,
  renderTlsSecret,
  type RestTlsRenderInputs,
} from '../../../render/index.js';
import { sha256Hex } from '../../../common/hash.js';
import type { KubeObject } from '../../framework/kube.js';
import { FIELD_MANAGER, type PassEnv } from '../deps.js';
import type { StalledOutcome } from '../outcomes.js';
import { SECRETS } from '../resources.js';
import { certificateFacts, signedBy } from '../tls/inspect.js';
import { issueCa, issueLeaf, type KeyPair } from '../tls/issue.js';
import { CA_VALIDITY_MS, caRenewal, leafRenewal, leafValidityMs, type RenewReason } from '../tls/renewal.js';
import { conflictOf, ResourceConflictError } from './apply.js';

/** PEM texts the operator's REST client presents and trusts; `servername` is a DNS SAN of the server. */
export interface RestClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly servername: string;
}

export type RestTlsResult =
  | { readonly kind: 'off' }
  | { readonly kind: 'ready'; readonly render: RestTlsRenderInputs; readonly client: RestClientTls }
  | { readonly kind: 'stalled'; readonly stalled: StalledOutcome };

/** DNS and IP names of the server certificate: the client Service, its cluster IP, the pod's stable name. */
export function serverNames(env: PassEnv, service: KubeObject, advertisedAddress: string): string[] {
  const { name, namespace } = env.cr.metadata;
  const svc = `${name}.${namespace}`;
  const pod = nodePodHost(env.cr);
  const names = [name, svc, `${svc}.svc`, `${svc}.svc.cluster.local`, pod, `${pod}.cluster.local`];
  const spec = service['spec'] as { clusterIP?: unknown } | undefined;
  const clusterIP = typeof spec?.clusterIP === 'string' && spec.clusterIP !== 'None' ? spec.clusterIP : '';
  for (const ip of [clusterIP, advertisedAddress]) if (ip !== '' && !names.includes(ip)) names.push(ip);
  return names;
}

function decoded(secret: KubeObject | undefined, key: string): string | undefined {
  const data = secret?.['data'];
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[key];
  if (typeof value !== 'string') return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return text === '' ? undefined : text;
}

async function readSecret(env: PassEnv, name: string): Promise<KubeObject | undefined> {
  const namespace = env.cr.metadata.namespace;
  return env.ctx.kube.get(SECRETS, { namespace, name }, env.ctx.signal);
}

/** An operator Secret: refuse one this CR does not control. */
async function readOwnSecret(env: PassEnv, name: string): Promise<KubeObject | undefined> {
  const live = await readSecret(env, name);
  if (live === undefined) return undefined;
  const conflict = conflictOf(env, live);
  if (conflict !== undefined) throw new ResourceConflictError(conflict);
  return live;
}

async function writeSecret(
  env: PassEnv,
  name: string,
  pair: KeyPair,
  caPem: string | undefined,
): Promise<void> {
  const body = renderTlsSecret(env.cr, {
    name,
    operatorVersion: env.deps.operatorVersion,
    certPem: pair.certPem,
    keyPem: pair.keyPem,
    ...(caPem === undefined ? {} : { caPem }),
  });
  await env.ctx.kube.apply(SECRETS, body as unknown as KubeObject, {
    fieldManager: FIELD_MANAGER,
    signal: env.ctx.signal,
  });
}

async function announce(env: PassEnv, what: string, name: string, reason: RenewReason, pem: string) {
  const until = new Date(certificateFacts(pem)?.notAfterMs ?? 0).toISOString();
  const verb = reason === 'missing' ? 'issued' : `renewed (${reason})`;
  env.ctx.logger.info({ secretName: name, reason, notAfter: until }, `REST ${what} certificate ${verb}`);
  await env.ctx.events.emit({
    type: 'Normal',
    reason: reason === 'missing' ? 'CertificateIssued' : 'CertificateRenewed',
    note: `REST ${what} certificate in Secret ${name} ${verb}, valid until ${until}`,
  });
}

async function ensureCa(env: PassEnv, tls: ResolvedRestTls, nowMs: number): Promise<KeyPair> {
  const name = restCaSecretName(env.cr);
  const live = await readOwnSecret(env, name);
  const certPem = decoded(live, TLS_CERT_KEY);
  const keyPem = decoded(live, TLS_KEY_KEY);
  const facts = certPem === undefined ? undefined : certificateFacts(certPem);
  const why = live === undefined ? 'missing' : caRenewal(facts, tls, nowMs, keyPem !== undefined);
  if (why === undefined && certPem !== undefined && keyPem !== undefined) return { certPem, keyPem };
  const commonName = `${env.cr.metadata.namespace}/${env.cr.metadata.name} REST CA`;
  const ca = await issueCa({ commonName, nowMs, validityMs: CA_VALIDITY_MS });
  await writeSecret(env, name, ca, undefined);
  await announce(env, 'CA', name, why ?? 'unreadable', ca.certPem);
  return ca;
}

interface LeafSpec {
  readonly name: string;
  readonly usage: 'server' | 'client';
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

async function ensureLeaf(
  env: PassEnv,
  tls: ResolvedRestTls,
  ca: KeyPair,
  leaf: LeafSpec,
  nowMs: number,
): Promise<KeyPair> {
  const live = await readOwnSecret(env, leaf.name);
  const certPem = decoded(live, TLS_CERT_KEY);
  const keyPem = decoded(live, TLS_KEY_KEY);
  const held = certPem === undefined || keyPem === undefined ? undefined : certificateFacts(certPem);
  const sameCa = decoded(live, TLS_CA_KEY) === ca.certPem && certPem !== undefined;
  const why = leafRenewal(held, {
    policy: tls,
    nowMs,
    wantSans: [...leaf.dnsNames, ...leaf.ipAddresses],
    signedByCurrentCa: sameCa && (await signedBy(certPem, ca.certPem)),
  });
  if (why === undefined && certPem !== undefined && keyPem !== undefined) return { certPem, keyPem };
  const pair = await issueLeaf(ca, {
    commonName: leaf.commonName,
    usage: leaf.usage,
    dnsNames: leaf.dnsNames,
    ipAddresses: leaf.ipAddresses,
    nowMs,
    validityMs: leafValidityMs(tls),
  });
  await writeSecret(env, leaf.name, pair, ca.certPem);
  await announce(env, leaf.usage, leaf.name, why ?? 'unreadable', pair.certPem);
  return pair;
}

const certificateHash = (certPem: string, caPem: string): string => sha256Hex(`${certPem}\n${caPem}`);

async function issuedMode(env: PassEnv, tls: ResolvedRestTls, names: string[]): Promise<RestTlsResult> {
  const nowMs = env.ctx.clock.now();
  const ca = await ensureCa(env, tls, nowMs);
  const server = await ensureLeaf(
    env,
    tls,
    ca,
    {
      name: restServerSecretName(env.cr),
      usage: 'server',
      commonName: nodePodHost(env.cr),
      dnsNames: names.filter((n) => !IPV4.test(n) && !n.includes(':')),
      ipAddresses: names.filter((n) => IPV4.test(n) || n.includes(':')),
    },
    nowMs,
  );
  const client = await ensureLeaf(
    env,
    tls,
    ca,
    {
      name: restClientSecretName(env.cr),
      usage: 'client',
      commonName: `${env.cr.metadata.namespace}/${env.cr.metadata.name} REST client`,
      dnsNames: [],
      ipAddresses: [],
    },
    nowMs,
  );
  return {
    kind: 'ready',
    render: {
      secretName: restServerSecretName(env.cr),
      org: tls.org,
      certificateHash: certificateHash(server.certPem, ca.certPem),
    },
    client: { ca: ca.certPem, cert: client.certPem, key: client.keyPem, servername: nodePodHost(env.cr) },
  };
}

/** The three PEM texts of a user Secret, or the stalled outcome naming what is missing. */
async function userPair(
  env: PassEnv,
  name: string,
): Promise<{ cert: string; key: string; ca: string } | StalledOutcome> {
  const secret = await readSecret(env, name);
  const namespace = env.cr.metadata.namespace;
  if (secret === undefined)
    return { reason: 'SecretNotFound', message: `Secret ${name} not found in namespace ${namespace}` };
  const cert = decoded(secret, TLS_CERT_KEY);
  const key = decoded(secret, TLS_KEY_KEY);
  const ca = decoded(secret, TLS_CA_KEY);
  const missing = [
    [TLS_CERT_KEY, cert],
    [TLS_KEY_KEY, key],
    [TLS_CA_KEY, ca],
  ].flatMap(([k, v]) => (v === undefined ? [k] : []));
  if (cert === undefined || key === undefined || ca === undefined)
    return { reason: 'SecretNotFound', message: `Secret ${name} has no key ${missing.join(', ')}` };
  return { cert, key, ca };
}

async function userMode(env: PassEnv, tls: ResolvedRestTls, server: string, client: string) {
  const serverPair = await userPair(env, server);
  if ('reason' in serverPair) return { kind: 'stalled', stalled: serverPair } as const;
  const clientPair = await userPair(env, client);
  if ('reason' in clientPair) return { kind: 'stalled', stalled: clientPair } as const;
  return {
    kind: 'ready',
    render: {
      secretName: server,
      org: tls.org,
      certificateHash: certificateHash(serverPair.cert, serverPair.ca),
    },
    client: {
      ca: serverPair.ca,
      cert: clientPair.cert,
      key: clientPair.key,
      servername: nodePodHost(env.cr),
    },
  } as const;
}

/** Certificates for the node's REST server and the operator's client; `service` is the live client Service. */
export async function reconcileRestTls(
  env: PassEnv,
  service: KubeObject,
  advertisedAddress: string,
): Promise<RestTlsResult> {
  const tls = env.spec.rest.tls;
  if (!tls.enabled) return { kind: 'off' };
  if (tls.secretName !== undefined && tls.clientSecretName !== undefined)
    return userMode(env, tls, tls.secretName, tls.clientSecretName);
  return issuedMode(env, tls, serverNames(env, service, advertisedAddress));
}

/**
 * The client side only, from Secrets that already exist (cleanup must not issue anything): undefined
 * when REST TLS is off; throws when it is on but the Secrets are missing or incomplete.
 */
export async function readRestClientTls(env: PassEnv): Promise<RestClientTls | undefined> {
  const tls = env.spec.rest.tls;
  if (!tls.enabled) return undefined;
  const user = tls.secretName !== undefined && tls.clientSecretName !== undefined;
  const clientName = user ? (tls.clientSecretName ?? '') : restClientSecretName(env.cr);
  const client = await userPair(env, clientName);
  if ('reason' in client) throw new Error(client.message);
  const server = user ? await userPair(env, tls.secretName ?? '') : client;
  if ('reason' in server) throw new Error(server.message);
  return { ca: server.ca, cert: client.cert, key: client.key, servername: nodePodHost(env.cr) };
}
