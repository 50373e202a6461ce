// Resolves how to reach the API server without loading @kubernetes/client-node (whose generated
// models cost ~80 MB of RSS at import): KUBECONFIG, then ~/.kube/config, then in-cluster credentials.
// Covers the common cases natively (bearer token or token file, client certificate, CA, insecure);
// anything else (exec plugins, auth providers, proxies, impersonation, merged kubeconfig lists) is
// handed to the library transport in kube-client.ts. Reads files only; no network.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import type { Env } from '../../common/env.js';
import { KubeApiError } from './kube.js';
import { isRecord } from '../../common/is-record.js';

/** How requests authenticate: a fixed token, a token file re-read periodically, or nothing extra. */
export type BearerSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'file'; readonly path: string };

/** Everything the native transport needs to reach one API server. */
export interface Connection {
  /** Base URL without a trailing slash, e.g. https://10.96.0.1:443. */
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly bearer: BearerSource;
}

/** Native when the configuration is fully understood, else the library loads it (`path` or default). */
export type ConnectionSource =
  | { readonly kind: 'native'; readonly connection: Connection; readonly origin: string }
  | { readonly kind: 'library'; readonly reason: string; readonly path?: string };

export interface ResolveOptions {
  readonly env: Env;
  /** An explicit kubeconfig file (tests); otherwise KUBECONFIG, ~/.kube/config, in-cluster. */
  readonly path?: string;
  /** Where the in-cluster ServiceAccount files live (tests). */
  readonly serviceAccountDir?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function configError(message: string): KubeApiError {
  return new KubeApiError({ status: 0, reason: 'InvalidKubeconfig', message });
}

type Rec = Record<string, unknown>;

function str(record: Rec, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The `name` entry of a kubeconfig list (clusters, users, contexts), by its inner key. */
function named(config: Rec, list: string, inner: string, name: string): Rec | undefined {
  const entries = config[list];
  if (!Array.isArray(entries)) return undefined;
  for (const entry of entries as unknown[]) {
    if (isRecord(entry) && entry['name'] === name && isRecord(entry[inner])) return entry[inner];
  }
  return undefined;
}

/** Keys that only the library knows how to honour. */
const LIBRARY_USER_KEYS = ['exec', 'auth-provider', 'username', 'password', 'as', 'as-groups', 'as-uid'];
const LIBRARY_CLUSTER_KEYS = ['proxy-url'];

function fileOrData(record: Rec, fileKey: string, base: string): Buffer | undefined {
  const data = str(record, `${fileKey}-data`);
  if (data !== undefined) return Buffer.from(data, 'base64');
  const file = str(record, fileKey);
  if (file === undefined) return undefined;
  return readFileSync(isAbsolute(file) ? file : join(base, file));
}

interface Selected {
  readonly cluster: Rec;
  readonly clusterName: string;
  readonly user: Rec;
}

/** The cluster and user of the current context. */
function selectContext(config: Rec): Selected {
  const contextName = str(config, 'current-context');
  if (contextName === undefined) throw configError('kubeconfig has no current-context');
  const context = named(config, 'contexts', 'context', contextName);
  if (context === undefined) throw configError(`kubeconfig context "${contextName}" not found`);
  const clusterName = str(context, 'cluster') ?? '';
  const cluster = named(config, 'clusters', 'cluster', clusterName);
  if (cluster === undefined) throw configError(`kubeconfig cluster "${clusterName}" not found`);
  const userName = str(context, 'user');
  const user = userName === undefined ? {} : (named(config, 'users', 'user', userName) ?? {});
  return { cluster, clusterName, user };
}

function bearerOf(user: Rec, base: string): BearerSource {
  const token = str(user, 'token');
  if (token !== undefined) return { kind: 'token', token };
  const tokenFile = str(user, 'tokenFile');
  if (tokenFile !== undefined) {
    return { kind: 'file', path: isAbsolute(tokenFile) ? tokenFile : join(base, tokenFile) };
  }
  return { kind: 'none' };
}

/** Parses kubeconfig text; `base` resolves relative file paths (the kubeconfig's directory). */
export function connectionFromKubeconfig(text: string, base: string): ConnectionSource {
  const config: unknown = parse(text);
  if (!isRecord(config)) throw configError('kubeconfig is not a YAML mapping');
  const { cluster, clusterName, user } = selectContext(config);
  const server = str(cluster, 'server');
  if (server === undefined) throw configError(`kubeconfig cluster "${clusterName}" has no server`);
  const special = [
    ...LIBRARY_CLUSTER_KEYS.filter((k) => cluster[k] !== undefined),
    ...LIBRARY_USER_KEYS.filter((k) => user[k] !== undefined),
  ];
  if (special.length > 0) return { kind: 'library', reason: `kubeconfig uses ${special.join(', ')}` };
  const ca = fileOrData(cluster, 'certificate-authority', base);
  const cert = fileOrData(user, 'client-certificate', base);
  const key = fileOrData(user, 'client-key', base);
  const tlsServerName = str(cluster, 'tls-server-name');
  const connection: Connection = {
    server: server.replace(/\/+$/, ''),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    bearer: bearerOf(user, base),
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
  };
  return { kind: 'native', connection, origin: 'kubeconfig' };
}

/** In-cluster credentials: the ServiceAccount token (re-read, it rotates) and CA of the pod. */
export function inClusterConnection(env: Env, dir: string): Connection | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  const tokenPath = join(dir, 'token');
  if (host === undefined || host === '' || !existsSync(tokenPath)) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const caPath = join(dir, 'ca.crt');
  return {
    server: `https://${hostPart}:${port === undefined || port === '' ? '443' : port}`,
    insecureSkipTlsVerify: false,
    bearer: { kind: 'file', path: tokenPath },
    ...(existsSync(caPath) ? { ca: readFileSync(caPath) } : {}),
  };
}

function fromFile(path: string): ConnectionSource {
  const source = connectionFromKubeconfig(readFileSync(path, 'utf8'), dirname(path));
  return source.kind === 'native' ? { ...source, origin: path } : { ...source, path };
}

/** KUBECONFIG (one file), ~/.kube/config, in-cluster; the library's loadFromDefault order. */
export function resolveConnection(options: ResolveOptions): ConnectionSource {
  if (options.path !== undefined) return fromFile(options.path);
  const listed = options.env['KUBECONFIG'];
  if (listed !== undefined && listed !== '') {
    const files = listed.split(':').filter((f) => f !== '');
    if (files.length !== 1 || files[0] === undefined) {
      return { kind: 'library', reason: 'KUBECONFIG lists several files' };
    }
    return fromFile(files[0]);
  }
  const home = options.env['HOME'];
  const homeConfig = home === undefined || home === '' ? undefined : join(home, '.kube', 'config');
  if (homeConfig !== undefined && existsSync(homeConfig)) return fromFile(homeConfig);
  const inCluster = inClusterConnection(options.env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (inCluster !== undefined) return { kind: 'native', connection: inCluster, origin: 'in-cluster' };
  throw configError('no kubeconfig (KUBECONFIG, ~/.kube/config) and not running in a cluster');
}
