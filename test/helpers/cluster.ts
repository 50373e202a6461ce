// Test helpers for suites that run against the real control plane started by
// test/controlplane/src/with-cluster.ts: a namespace per test file, kubectl and
// helm wrappers bound to the run's kubeconfig, bounded waiters, and container logs printed on failure.
// A suite fails (never skips) when the control plane's environment is missing.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { repoRoot } from '../controlplane/src/paths.js';

export interface ClusterEnv {
  readonly kubeconfig: string;
  readonly kubectl: string;
  readonly helm: string;
  readonly runDir: string;
}

export function clusterEnv(): ClusterEnv {
  const get = (k: string): string => {
    const v = process.env[k];
    if (v === undefined || v === '') {
      throw new Error(
        `${k} is not set: run this suite through \`npm run test:int\` (with-cluster.ts starts the control plane)`,
      );
    }
    return v;
  };
  return {
    kubeconfig: get('KUBECONFIG'),
    kubectl: get('ANYLOG_TEST_KUBECTL'),
    helm: get('ANYLOG_TEST_HELM'),
    runDir: get('ANYLOG_TEST_RUN_DIR'),
  };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly env?: Record<string, string>;
}

export async function run(cmd: string, args: readonly string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      [...args],
      { timeout: o.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, ...o.env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    if (o.input !== undefined) child.stdin?.end(o.input);
  });
}

/** kubectl with the run's kubeconfig. */
export async function kubectl(args: readonly string[], o: RunOptions = {}): Promise<RunResult> {
  const e = clusterEnv();
  return run(e.kubectl, ['--kubeconfig', e.kubeconfig, ...args], o);
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(args: readonly string[], o: RunOptions = {}): Promise<string> {
  const r = await kubectl(args, o);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** helm with the run's kubeconfig and its caches and config inside the run directory. */
export async function helm(args: readonly string[], o: RunOptions = {}): Promise<RunResult> {
  const e = clusterEnv();
  const home = join(e.runDir, 'helm-home');
  mkdirSync(home, { recursive: true });
  return run(e.helm, [...args, '--kubeconfig', e.kubeconfig], {
    ...o,
    env: {
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      ...o.env,
    },
  });
}

/** An API object as kubectl prints it: untyped JSON, read field by field in tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = any;

export async function getJson(args: readonly string[]): Promise<KubeObject> {
  return JSON.parse(await kubectlOk(['get', ...args, '-o', 'json']));
}

/** Poll until check() returns a value other than undefined/false; throws after timeoutMs. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastErr = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${lastErr}`.trim());
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Last lines of every container log of a namespace's runner pods. */
export function namespaceLogs(ns: string, lines = 30): string {
  const pods = join(clusterEnv().runDir, 'pods');
  if (!existsSync(pods)) return '';
  let out = '';
  for (const dir of readdirSync(pods).filter((d) => d.startsWith(`${ns}_`))) {
    const logs = join(pods, dir, 'logs');
    if (!existsSync(logs)) continue;
    for (const f of readdirSync(logs)) {
      const text = readFileSync(join(logs, f), 'utf8').split('\n').slice(-lines).join('\n');
      out += `--- ${dir}/${f}\n${text}\n`;
    }
  }
  return out;
}

/** Directory of a runner pod (<run>/pods/<ns>_<name>_<uid>). */
export function podDir(ns: string, name: string, uid: string): string {
  return join(clusterEnv().runDir, 'pods', `${ns}_${name}_${uid}`);
}

/**
 * A namespace with a random suffix for this test file, deleted in teardown (the namespace controller
 * finishes the deletion). On failure, the last lines of its container logs are printed.
 */
export async function testNamespace(
  t: Test,
  prefix = 't',
  labels: Record<string, string> = {},
): Promise<string> {
  const ns = `${prefix}-${randomBytes(4).toString('hex')}`;
  const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } });
  await kubectlOk(['apply', '-f', '-'], { input: manifest });
  t.teardown(async () => {
    if (!t.passing()) {
      const logs = namespaceLogs(ns);
      if (logs !== '') t.comment(`container logs of ${ns}:\n${logs}`);
    }
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });
  return ns;
}

/**
 * Waits until a CRD is Established. `kubectl wait` fails at once (instead of waiting) while a just-created
 * CRD has no conditions yet, so it is retried until it can wait.
 */
export async function waitCrdEstablished(name: string, timeoutMs = 60_000): Promise<void> {
  await waitUntil(
    `crd/${name} Established`,
    async () =>
      (await kubectl(['wait', '--for=condition=Established', `crd/${name}`, '--timeout=30s'])).code === 0,
    timeoutMs,
    500,
  );
}

/** A condition of an object's status by type. */
export function condition(obj: KubeObject, type: string): KubeObject {
  return (obj?.status?.conditions ?? []).find((c: KubeObject) => c.type === type);
}

/** The CR's phase and conditions, for failure output. */
export async function describeMaster(ns: string, name: string): Promise<string> {
  const r = await kubectl(['-n', ns, 'get', 'anylogmaster', name, '-o', 'json']);
  if (r.code !== 0) return r.stderr;
  const cr = JSON.parse(r.stdout);
  const conds = (cr.status?.conditions ?? []).map(
    (c: KubeObject) => `${c.type}=${c.status} ${c.reason}: ${c.message}`,
  );
  return `phase=${cr.status?.phase} observedGeneration=${cr.status?.observedGeneration}/${cr.metadata.generation}\n${conds.join('\n')}`;
}

/** The AnyLogMaster CRD applied server-side (idempotent, shared by every suite) and Established. */
export async function applyCrd(): Promise<void> {
  await kubectlOk([
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(repoRoot, 'crds', 'anylogmaster.yaml'),
  ]);
  await waitCrdEstablished('anylogmasters.anylog.co');
}
