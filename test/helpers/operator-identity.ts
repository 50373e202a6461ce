// The operator's identity for in-process operator suites: the chart charts/anylog-operator rendered
// with DEFAULT values (cluster-wide scope), only its ServiceAccount and RBAC applied server-side, and a
// kubeconfig holding a token minted for that ServiceAccount, so the operator under test gets exactly the
// chart's permissions, not the admin's. Idempotent per control-plane run (stable names, server-side apply,
// atomic file writes): several test files may call it at once or one after another.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { writeKubeconfig } from '../controlplane/src/kubeconfig.js';
import { repoRoot } from '../controlplane/src/paths.js';
import { readState } from '../controlplane/src/state.js';
import {
  clusterEnv,
  helm,
  kubectl,
  kubectlOk,
  run,
  waitUntil,
  type KubeObject,
  type RunResult,
} from './cluster.js';

/**
 * Release and namespace of the rendered chart. Deliberately not `anylog-operator`/`anylog-system`: the
 * e2e suite installs and uninstalls that release (and checks that no object labelled with it is left)
 * in the same control plane, and deletes what install.yaml puts in anylog-system.
 */
export const IDENTITY_RELEASE = 'it';
export const IDENTITY_NAMESPACE = 'anylog-it-operator';

/** Token lifetime asked for: the whole CI run. The apiserver caps it only if --service-account-max-token-expiration is set. */
const TOKEN_DURATION = '3h';
/** A cached kubeconfig whose token expires sooner than this is replaced. */
const MIN_REMAINING_MS = 30 * 60_000;
const FIELD_MANAGER = 'anylog-test-operator-identity';
const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

export interface OperatorIdentity {
  /** Kubeconfig of the chart's ServiceAccount (server and CA of the admin kubeconfig, a bound token). */
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The user the apiserver authenticates: system:serviceaccount:<namespace>:<serviceAccount>. */
  readonly username: string;
}

let memo: Promise<OperatorIdentity> | undefined;

/** The chart's RBAC objects (default values) and its ServiceAccount's name. */
async function renderRbac(): Promise<{ objects: KubeObject[]; serviceAccount: string }> {
  const chart = join(repoRoot, 'charts', 'anylog-operator');
  // --skip-tests: the helm test hook brings its own ServiceAccount and Role, which are not the operator's.
  const r = await helm(['template', IDENTITY_RELEASE, chart, '-n', IDENTITY_NAMESPACE, '--skip-tests']);
  if (r.code !== 0) throw new Error(`helm template ${chart} failed (${r.code}): ${r.stderr}`);
  const objects = parseAllDocuments(r.stdout)
    .map((d): KubeObject => d.toJS())
    .filter((o) => o !== null && RBAC_KINDS.has(o.kind));
  const sas = objects.filter((o) => o.kind === 'ServiceAccount');
  if (sas.length !== 1) throw new Error(`the chart renders ${sas.length} ServiceAccounts, expected 1`);
  for (const o of objects) {
    if (o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding') {
      o.metadata.namespace ??= IDENTITY_NAMESPACE;
    }
  }
  return { objects, serviceAccount: sas[0].metadata.name as string };
}

async function applyAll(objects: readonly KubeObject[]): Promise<void> {
  const input = objects.map((o) => stringify(o)).join('---\n');
  await waitUntil(
    'the chart ServiceAccount and RBAC applied',
    async () => {
      await kubectlOk(
        ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'],
        { input },
      );
      return true;
    },
    30_000,
    500,
  );
}

/** Seconds-since-epoch `exp` of a JWT, or 0 when it cannot be read. */
function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.exp === 'number' ? payload.exp : 0;
  } catch {
    return 0;
  }
}

/** The token of a kubeconfig this helper wrote earlier in the run, if it is still good for a while. */
function cachedToken(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const cfg = parse(readFileSync(path, 'utf8')) as { users?: { user?: { token?: string } }[] };
  const token = cfg.users?.[0]?.user?.token;
  if (token === undefined) return undefined;
  return tokenExpiry(token) * 1000 > Date.now() + MIN_REMAINING_MS ? token : undefined;
}

/** `kubectl create token` for the ServiceAccount: TOKEN_DURATION, else the apiserver's default. */
async function mintToken(serviceAccount: string): Promise<string> {
  const base = ['create', 'token', serviceAccount, '-n', IDENTITY_NAMESPACE];
  const long = await kubectl([...base, `--duration=${TOKEN_DURATION}`]);
  if (long.code === 0) return long.stdout.trim();
  return (await kubectlOk(base)).trim();
}

/** kubectl under the operator identity (NOT the admin): for checks of what the chart allows. */
export async function kubectlAs(identity: OperatorIdentity, args: readonly string[]): Promise<RunResult> {
  return run(clusterEnv().kubectl, ['--kubeconfig', identity.kubeconfig, ...args]);
}

/** Waits until the RBAC authorizer grants the first rule of every applied role (its caches lag the apply). */
async function waitGranted(identity: OperatorIdentity, objects: readonly KubeObject[]): Promise<void> {
  for (const role of objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
    const rule = role.rules?.[0];
    if (rule === undefined) continue;
    const group = rule.apiGroups[0] as string;
    const resource = group === '' ? rule.resources[0] : `${rule.resources[0]}.${group}`;
    const scope = role.kind === 'Role' ? ['-n', role.metadata.namespace as string] : ['--all-namespaces'];
    await waitUntil(
      `${identity.username} may ${rule.verbs[0]} ${resource}`,
      async () =>
        (await kubectlAs(identity, ['auth', 'can-i', rule.verbs[0], resource, ...scope])).stdout.trim() ===
        'yes',
      30_000,
      250,
    );
  }
}

async function create(): Promise<OperatorIdentity> {
  const dir = join(clusterEnv().runDir, 'operator-identity');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'kubeconfig');
  const { objects, serviceAccount } = await renderRbac();
  const identity: OperatorIdentity = {
    kubeconfig: path,
    namespace: IDENTITY_NAMESPACE,
    serviceAccount,
    username: `system:serviceaccount:${IDENTITY_NAMESPACE}:${serviceAccount}`,
  };
  // The file is written last, after RBAC is applied and effective: when it holds a good token, all is done.
  if (cachedToken(path) !== undefined) return identity;
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: IDENTITY_NAMESPACE } };
  await applyAll([ns]);
  await applyAll(objects);
  const token = await mintToken(serviceAccount);
  // Server and CA file of the run's apiserver, as the control plane recorded them.
  const state = readState(clusterEnv().runDir);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeKubeconfig(tmp, { server: state.server, caFile: state.caFile, user: identity.username, token });
  await waitGranted({ ...identity, kubeconfig: tmp }, objects);
  renameSync(tmp, path);
  return identity;
}

/**
 * The chart's ServiceAccount identity in the run's control plane, set up on first use (once per process;
 * across processes the kubeconfig file in the run directory is reused while its token is good).
 */
export function operatorIdentity(): Promise<OperatorIdentity> {
  memo ??= create().catch((err: unknown) => {
    memo = undefined;
    throw err;
  });
  return memo;
}
