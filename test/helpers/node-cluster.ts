// Helpers for the suites that run on the local cluster's real node (test/e2e-node, started by
// `with-cluster.ts --runtime=containerd`): the locally built images, the node IP, an operator release
// installed with helm into its own namespace and watching only the namespaces it is given, commands run
// inside containers with `kubectl exec`, and stopping/starting the kubelet or containerd as recorded by
// the run. A suite fails (never skips) when it is not run on a real node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { parse } from 'yaml';
import { repoRoot } from '../controlplane/src/paths.js';
import { overlaps } from '../controlplane/src/realnode/network.js';
import { request } from 'node:http';
import { spawnDetached, readPidFiles, stopGroup, removePidFile } from '../controlplane/src/procs.js';
import {
  applyCrd,
  clusterEnv,
  condition,
  describeMaster,
  getJson,
  helm,
  kubectl,
  kubectlOk,
  waitUntil,
  type KubeObject,
  type RunResult,
} from './cluster.js';

export interface NodeEnv {
  /** The project image built from the Dockerfile (operator and anylog-node). */
  readonly image: string;
  readonly postgresImage: string;
  /** The node's InternalIP: PostgreSQL of the run listens here too. */
  readonly nodeIp: string;
  readonly runDir: string;
  readonly pgUrl: string;
}

export function nodeEnv(): NodeEnv {
  const get = (k: string): string => {
    const v = process.env[k];
    if (v === undefined || v === '') {
      throw new Error(
        `${k} is not set: run this suite through \`npm run test:node\` (a real kubelet + containerd node)`,
      );
    }
    return v;
  };
  if (process.env['ANYLOG_TEST_RUNTIME'] !== 'containerd') {
    throw new Error('this suite needs the real node: with-cluster.ts --runtime=containerd');
  }
  return {
    image: get('ANYLOG_TEST_IMAGE'),
    postgresImage: get('ANYLOG_TEST_POSTGRES_IMAGE'),
    nodeIp: get('ANYLOG_TEST_NODE_IP'),
    runDir: get('ANYLOG_TEST_RUN_DIR'),
    pgUrl: get('ANYLOG_TEST_PG_URL'),
  };
}

/** The image reference split as the chart wants it. */
export function imageParts(ref: string): { repository: string; tag: string } {
  const i = ref.lastIndexOf(':');
  return { repository: ref.slice(0, i), tag: ref.slice(i + 1) };
}

export const chartDir = join(repoRoot, 'charts', 'anylog-operator');

export interface OperatorRelease {
  readonly release: string;
  readonly namespace: string;
  /** Namespaces the operator watches (it gets Roles there, no ClusterRole for AnyLogMasters). */
  readonly watch: readonly string[];
  readonly replicas?: number;
  readonly extraSet?: readonly string[];
}

/**
 * Applies the CRD (server-side, idempotent) and `helm install --wait`s the chart with the locally built
 * images, pull policy Never, and `crds.install=false`: the CRD is cluster-wide and shared by every suite
 * and release of the run, so no release may own it. Uninstalled in teardown.
 */
export async function installOperator(t: Test, o: OperatorRelease): Promise<void> {
  const env = nodeEnv();
  await applyCrd();
  const img = imageParts(env.image);
  const replicas = o.replicas ?? 1;
  const sets = [
    `image.repository=${img.repository}`,
    `image.tag=${img.tag}`,
    'image.pullPolicy=Never',
    `ledgerImage=${env.postgresImage}`,
    `replicaCount=${replicas}`,
    `leaderElection=${replicas > 1 ? 'true' : 'false'}`,
    `watchNamespaces={${o.watch.join(',')}}`,
    'crds.install=false',
    ...(o.extraSet ?? []),
  ];
  const r = await helm(
    [
      'install',
      o.release,
      chartDir,
      '-n',
      o.namespace,
      '--wait',
      '--timeout',
      '5m',
      ...sets.flatMap((s) => ['--set', s]),
    ],
    { timeoutMs: 360_000 },
  );
  if (r.code !== 0) {
    t.comment(await containerLogs(o.namespace));
    throw new Error(`helm install ${o.release} failed: ${r.stderr}`);
  }
  t.teardown(async () => {
    await helm(['uninstall', o.release, '-n', o.namespace, '--wait', '--timeout', '2m'], {
      timeoutMs: 150_000,
    });
  });
}

/** The last lines of every container of every pod in a namespace (`kubectl logs`), for failure output. */
export async function containerLogs(ns: string, lines = 40): Promise<string> {
  const r = await kubectl(['-n', ns, 'get', 'pods', '-o', 'json']);
  if (r.code !== 0) return r.stderr;
  let out = '';
  for (const p of JSON.parse(r.stdout).items as KubeObject[]) {
    for (const c of p.spec.containers as KubeObject[]) {
      const l = await kubectl(['-n', ns, 'logs', p.metadata.name, '-c', c.name, `--tail=${lines}`]);
      out += `--- ${p.metadata.name}/${c.name}\n${l.code === 0 ? l.stdout : l.stderr}\n`;
    }
  }
  return out;
}

/** `kubectl exec` into a pod's container; returns the result (stdout, stderr, exit code). */
export async function execIn(ns: string, pod: string, container: string, cmd: readonly string[]) {
  return kubectl(['-n', ns, 'exec', pod, '-c', container, '--', ...cmd], { timeoutMs: 60_000 });
}

/** `kubectl logs` of a pod's container (the previous instance with `previous`). */
export async function podLogs(
  ns: string,
  pod: string,
  container?: string,
  previous = false,
): Promise<string> {
  const r = await kubectl([
    '-n',
    ns,
    'logs',
    pod,
    ...(container === undefined ? [] : ['-c', container]),
    ...(previous ? ['--previous'] : []),
    '--tail=200',
  ]);
  return r.code === 0 ? r.stdout : r.stderr;
}

export async function pod(ns: string, name: string): Promise<KubeObject> {
  return JSON.parse(await kubectlOk(['-n', ns, 'get', 'pod', name, '-o', 'json']));
}

export function restartCount(p: KubeObject, container: string): number {
  const s = (p.status?.containerStatuses ?? []).find((c: KubeObject) => c.name === container);
  return Number(s?.restartCount ?? 0);
}

/** Waits for a pod's Ready condition. */
export async function waitPodReady(ns: string, name: string, timeoutMs = 180_000): Promise<KubeObject> {
  return waitUntil(
    `pod ${ns}/${name} Ready`,
    async () => {
      const r = await kubectl(['-n', ns, 'get', 'pod', name, '-o', 'json']);
      if (r.code !== 0) return undefined;
      const p = JSON.parse(r.stdout);
      const ready = (p.status?.conditions ?? []).some(
        (c: KubeObject) => c.type === 'Ready' && c.status === 'True',
      );
      return ready && p.metadata.deletionTimestamp === undefined ? p : undefined;
    },
    timeoutMs,
  );
}

interface NodeRecord {
  readonly commands: Record<string, { cmd: string; args: string[] }>;
}

/** The real node's process record (how each component was started). */
export function nodeRecord(): NodeRecord {
  return JSON.parse(readFileSync(join(clusterEnv().runDir, 'realnode.json'), 'utf8')) as NodeRecord;
}

/** Stops a node component (kubelet, containerd, kube-proxy, coredns) as a crash or an upgrade would. */
export async function stopComponent(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pidDir = join(clusterEnv().runDir, 'pids');
  for (const r of readPidFiles(pidDir).filter((x) => x.name === name)) {
    await stopGroup(r.pid, 10_000, r.startTime, signal);
    removePidFile(pidDir, r.name);
  }
}

/** Starts a stopped node component again with the command line the run recorded. */
export function startComponent(name: string): void {
  const e = clusterEnv();
  const c = nodeRecord().commands[name];
  if (c === undefined) throw new Error(`the run recorded no command for ${name}`);
  spawnDetached({
    name,
    cmd: c.cmd,
    args: c.args,
    pidDir: join(e.runDir, 'pids'),
    logFile: join(e.runDir, 'logs', `${name}.log`),
  });
}

// ---------------------------------------------------------------------------------------------------
// Operator releases, AnyLogMaster samples, leases and kubelet events (test/e2e-node install, security
// and probes suites).
// ---------------------------------------------------------------------------------------------------

/** The pods of an operator release (the chart's `app.kubernetes.io/instance` label), by name. */
export async function operatorPods(ns: string, release: string): Promise<KubeObject[]> {
  const r = await kubectlOk([
    '-n',
    ns,
    'get',
    'pods',
    '-l',
    `app.kubernetes.io/instance=${release}`,
    '-o',
    'json',
  ]);
  const items = JSON.parse(r).items as KubeObject[];
  return items.sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
}

/** A pod is Ready (condition) and not being deleted. */
export function isPodReady(p: KubeObject): boolean {
  const ready = (p.status?.conditions ?? []).some(
    (c: KubeObject) => c.type === 'Ready' && c.status === 'True',
  );
  return ready && p.metadata?.deletionTimestamp === undefined;
}

/** The Leases of a namespace: name and holderIdentity ('' when released). */
export async function leases(ns: string): Promise<{ name: string; holder: string }[]> {
  const r = JSON.parse(await kubectlOk(['-n', ns, 'get', 'leases', '-o', 'json']));
  return (r.items as KubeObject[]).map((l) => ({
    name: String(l.metadata.name),
    holder: String(l.spec?.holderIdentity ?? ''),
  }));
}

/**
 * The operator pod a Lease holder identity names: the operator's identity is `<POD_NAME>_<random>`
 * (src/operator/main.ts), so exactly one pod name followed by `_` prefixes it.
 */
export function holderPod(holder: string, podNames: readonly string[]): string | undefined {
  const matches = podNames.filter((n) => holder.startsWith(`${n}_`));
  return matches.length === 1 ? matches[0] : undefined;
}

/** manifests/samples/anylogmaster-embedded.yaml renamed into `ns` (nothing else changed). */
export function embeddedMaster(ns: string, name: string): string {
  const doc = parse(
    readFileSync(join(repoRoot, 'manifests', 'samples', 'anylogmaster-embedded.yaml'), 'utf8'),
  );
  doc.metadata = { ...doc.metadata, name, namespace: ns };
  return JSON.stringify(doc);
}

/**
 * Waits until the AnyLogMaster is Ready for its current generation (condition and status both observed
 * it); on timeout the error carries the CR's status. `what` names the step in the message.
 */
export async function waitMasterReady(
  ns: string,
  name: string,
  timeoutMs: number,
  what = '',
): Promise<KubeObject> {
  try {
    return await waitUntil(
      `${what === '' ? '' : `${what}: `}AnyLogMaster ${ns}/${name} Ready`,
      async () => {
        const cr = await getJson(['-n', ns, 'anylogmaster', name]);
        const ready = condition(cr, 'Ready');
        const gen = cr.metadata.generation as number;
        return ready?.status === 'True' &&
          ready.observedGeneration === gen &&
          cr.status?.observedGeneration === gen
          ? cr
          : undefined;
      },
      timeoutMs,
      2000,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\nstatus: ${await describeMaster(ns, name)}`, { cause: err });
  }
}

/**
 * Applies the embedded sample as `name` in `ns` and `kubectl wait`s for its Ready condition. Registers
 * a teardown that deletes it while its operator still runs (teardowns run last-registered first, so call
 * this after installOperator): a CR left behind keeps its finalizer and its namespace Terminating.
 * Returns the `kubectl wait` result; on failure the CR status and the container logs are commented.
 */
export async function applyMasterAndWaitReady(
  t: Test,
  ns: string,
  name: string,
  operatorNs: string,
  timeout = '300s',
): Promise<RunResult> {
  await kubectlOk(['apply', '--server-side', '-f', '-'], { input: embeddedMaster(ns, name) });
  t.teardown(async () => {
    await kubectl(['-n', ns, 'delete', 'anylogmaster', name, '--ignore-not-found', '--timeout=120s'], {
      timeoutMs: 150_000,
    });
  });
  const seconds = Number.parseInt(timeout, 10);
  const wait = await kubectl(
    ['-n', ns, 'wait', '--for=condition=Ready', `anylogmaster/${name}`, `--timeout=${timeout}`],
    {
      timeoutMs: (seconds + 30) * 1000,
    },
  );
  if (wait.code !== 0) {
    t.comment(`${ns}/${name} not Ready:\n${await describeMaster(ns, name)}`);
    t.comment(`containers of ${ns}:\n${await containerLogs(ns)}`);
    t.comment(`operator containers of ${operatorNs}:\n${await containerLogs(operatorNs)}`);
  }
  return wait;
}

export interface KubeEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
}

/** The Events about one object of a namespace (core/v1 or events.k8s.io field names). */
export async function eventsFor(ns: string, name: string): Promise<KubeEvent[]> {
  const r = JSON.parse(await kubectlOk(['-n', ns, 'get', 'events', '-o', 'json']));
  return (r.items as KubeObject[])
    .filter((e) => (e.involvedObject?.name ?? e.regarding?.name) === name)
    .map((e) => ({
      type: String(e.type ?? ''),
      reason: String(e.reason ?? ''),
      message: String(e.message ?? e.note ?? ''),
      count: Number(e.count ?? e.series?.count ?? 1),
    }));
}

/**
 * GETs a pod's port from the host, as the kubelet's HTTP probes do (no process is started inside the
 * container, whose memory limit it would share).
 */
export async function getFromHost(
  podIp: string,
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://${podIp}:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: await r.text() };
}

/** Whether an IPv4 address lies inside an IPv4 CIDR range. */
export function ipv4InCidr(ip: string, cidr: string): boolean {
  return overlaps(`${ip}/32`, cidr);
}

export interface RestAnswer {
  readonly status: number;
  readonly body: string;
}

/** What `curl -H 'User-Agent: AnyLog/1.23' -H 'command: <command>' http://host:port/` does. */
export function restGet(
  host: string,
  port: number,
  command: string,
  timeoutMs = 10_000,
): Promise<RestAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        path: '/',
        method: 'GET',
        agent: false,
        headers: { 'User-Agent': 'AnyLog/1.23', command },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** A policy as the node returns it: `{<type>: {..., id}}`. */
export type Policy = Record<string, Record<string, unknown>>;

/** The policies a `blockchain get …` answer holds; throws on a non-200 or non-JSON answer. */
export async function policies(host: string, port: number, command: string): Promise<Policy[]> {
  const a = await restGet(host, port, command);
  if (a.status !== 200) throw new Error(`${command} at ${host}:${port}: HTTP ${a.status} ${a.body}`);
  const text = a.body.trim();
  if (text === '') return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed))
    throw new Error(`${command} at ${host}:${port}: not a list: ${text.slice(0, 200)}`);
  return parsed as Policy[];
}
