// Starts and stops the whole local cluster: free ports, run directory, etcd on tmpfs, kube-apiserver,
// admin kubeconfig, kube-controller-manager, optionally PostgreSQL, then either the real node
// (realnode/: contained network first, then containerd, CoreDNS, kube-proxy, kube-scheduler, kubelet,
// provisioner) or the pod runner process. Every process is detached with a PID file; stop() (and
// stopRun() from another process) takes the real node down, then stops the rest in order by recorded
// PID and removes every directory of the run.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  binaries,
  newRunDir,
  newTmpfsDir,
  nodeBinary,
  readVersions,
  repoRoot,
  runLayout,
  tsxArgs,
  controlPlaneDir,
} from './paths.js';
import { withPortRetry } from './ports.js';
import { spawnDetached, stopRecorded, writePidFile } from './procs.js';
import { startEtcd, type EtcdHandle } from './etcd.js';
import { writePki, type Pki } from './pki.js';
import { startApiserver, type ApiserverHandle } from './apiserver.js';
import { startControllerManager } from './controller-manager.js';
import { writeKubeconfig } from './kubeconfig.js';
import { waitFor } from './http.js';
import { readState, writeState, type RunState } from './state.js';
import { startPostgres } from './postgres.js';
import { nodeBinaries } from './paths.js';
import { prepareNode, startNode, stopNode, type PreparedNode } from './realnode/index.js';
import { abandonedNodeRuns } from './abandoned-runs.js';
import { NODE_NAME } from './realnode/components.js';

/** `containerd`: a real node (kubelet, containerd, kube-proxy, CoreDNS); `process`: the pod runner. */
export type Runtime = 'containerd' | 'process';

/** The runtime a start uses unless told: ANYLOG_CLUSTER_RUNTIME, else the real node. */
export function defaultRuntime(): Runtime {
  const v = process.env['ANYLOG_CLUSTER_RUNTIME'];
  if (v === undefined || v === '') return 'containerd';
  if (v === 'containerd' || v === 'process') return v;
  throw new Error(`ANYLOG_CLUSTER_RUNTIME must be containerd or process, not ${v}`);
}

export interface StartOptions {
  /** Also start PostgreSQL and export ANYLOG_TEST_PG_URL. */
  readonly postgres?: boolean;
  /** Progress messages (to stderr by default). */
  readonly progress?: (msg: string) => void;
  /** Which node runs the pods (default: defaultRuntime()). */
  readonly runtime?: Runtime;
}

export interface ControlPlane {
  readonly state: RunState;
  /** Environment for tests and tools: KUBECONFIG, ANYLOG_TEST_KUBECTL, ANYLOG_TEST_HELM, ANYLOG_TEST_RUN_DIR, ANYLOG_TEST_PG_URL. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Stop order: the real node's processes and the runner first (they stop their pods), then leftover pod
 * processes, then the plane. stopNode() has already taken a real node down when these run.
 */
export const STOP_ORDER = [
  'provisioner',
  'kube-scheduler',
  'kubelet',
  'kube-network-policies',
  'kube-proxy',
  'coredns',
  'containerd',
  'pod-runner',
  'pod',
  'kube-controller-manager',
  'kube-apiserver',
  'etcd',
  'postgres',
] as const;

export function envOf(s: RunState): Record<string, string> {
  return {
    KUBECONFIG: s.kubeconfig,
    ANYLOG_TEST_KUBECTL: s.kubectl,
    ANYLOG_TEST_HELM: s.helm,
    ANYLOG_TEST_RUN_DIR: s.runDir,
    ...(s.pgUrl === undefined ? {} : { ANYLOG_TEST_PG_URL: s.pgUrl }),
    ANYLOG_TEST_RUNTIME: s.runtime ?? 'process',
    ...(s.nodeIp === undefined ? {} : { ANYLOG_TEST_NODE_IP: s.nodeIp }),
    ...(s.images?.['anylog-operator'] === undefined
      ? {}
      : { ANYLOG_TEST_IMAGE: s.images['anylog-operator'] }),
    ...(s.images?.['postgres'] === undefined ? {} : { ANYLOG_TEST_POSTGRES_IMAGE: s.images['postgres'] }),
  };
}

/** Stop everything recorded for a run directory and remove its directories (safe to call twice). */
export async function stopRun(runDir: string, etcdDataDir?: string): Promise<void> {
  let tmpfs = etcdDataDir;
  if (tmpfs === undefined) {
    const f = join(runDir, 'etcd-data-dir');
    if (existsSync(f)) tmpfs = readFileSync(f, 'utf8').trim();
  }
  await stopNode(runDir);
  await stopRecorded(runLayout.pids(runDir), STOP_ORDER);
  if (tmpfs !== undefined && tmpfs !== '') rmSync(tmpfs, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
}

/** Takes down every real node whose processes are all gone. */
export async function takeDownAbandonedNodes(say: (m: string) => void): Promise<void> {
  for (const dead of abandonedNodeRuns()) {
    say(`taking down a real node whose processes are gone (run ${dead})`);
    await stopRun(dead);
  }
}

/** A bare API: etcd, kube-apiserver and an admin kubeconfig, no controller-manager, pod runner or PostgreSQL. */
export interface BareApi {
  readonly runDir: string;
  readonly kubeconfig: string;
  readonly server: string;
  stop(): Promise<void>;
}

interface ApiLayer {
  readonly runDir: string;
  readonly etcdDataDir: string;
  readonly pidDir: string;
  readonly logDir: string;
  readonly etcd: EtcdHandle;
  readonly api: ApiserverHandle;
  readonly pki: Pki;
  readonly kubeconfig: string;
}

/**
 * A new run directory with etcd, kube-apiserver and the admin kubeconfig; stops what started on failure.
 * With `node`, the contained pod network is made first and the apiserver listens on the node IP.
 */
async function startApiLayer(
  say: (m: string) => void,
  node = false,
): Promise<ApiLayer & { prepared?: PreparedNode }> {
  const bins = binaries();
  if (node) await takeDownAbandonedNodes(say);
  const runDir = newRunDir();
  // PostgreSQL (run as the postgres user when we are root) must be able to traverse the run directory.
  chmodSync(runDir, 0o755);
  const etcdDataDir = newTmpfsDir('anylog-etcd-');
  writeFileSync(join(runDir, 'etcd-data-dir'), `${etcdDataDir}\n`);
  const pidDir = runLayout.pids(runDir);
  const logDir = runLayout.logs(runDir);
  mkdirSync(pidDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const t0 = Date.now();
  try {
    const prepared = node ? prepareNode(runDir) : undefined;
    if (prepared !== undefined)
      say(`pod network ${prepared.network.podCidr} contained on ${prepared.network.bridge}`);
    const etcd = await withPortRetry(() =>
      startEtcd({ bin: bins.etcd, dataDir: etcdDataDir, pidDir, logDir }),
    );
    say(`etcd ready at ${etcd.url} (${Date.now() - t0} ms)`);
    const pki = writePki(
      runLayout.pki(runDir),
      join(runDir, 'tokens.csv'),
      node ? [{ name: 'kubelet', user: `system:node:${NODE_NAME}`, groups: ['system:nodes'] }] : [],
    );
    const api = await withPortRetry(() =>
      startApiserver({
        bin: bins.apiserver,
        etcdUrl: etcd.url,
        pki,
        pidDir,
        logDir,
        ...(prepared === undefined
          ? {}
          : {
              node: {
                nodeIp: prepared.network.nodeIp,
                serviceCidr: prepared.network.serviceCidr,
                pki: prepared.pki,
              },
            }),
      }),
    );
    say(`kube-apiserver ready at ${api.server} (${Date.now() - t0} ms)`);
    const kubeconfig = runLayout.kubeconfig(runDir);
    writeKubeconfig(kubeconfig, {
      server: api.server,
      caFile: api.caFile,
      user: 'admin',
      token: pki.adminToken,
    });
    return {
      runDir,
      etcdDataDir,
      pidDir,
      logDir,
      etcd,
      api,
      pki,
      kubeconfig,
      ...(prepared === undefined ? {} : { prepared }),
    };
  } catch (err) {
    await stopRun(runDir, etcdDataDir);
    throw err;
  }
}

/**
 * Starts a private etcd and kube-apiserver in a run directory of their own, for a test that must disturb
 * the API server (stop it, restart it) without touching the suites that share the run's control plane.
 */
export async function startBareApi(): Promise<BareApi> {
  const layer = await startApiLayer(() => undefined);
  return {
    runDir: layer.runDir,
    kubeconfig: layer.kubeconfig,
    server: layer.api.server,
    stop: () => stopRun(layer.runDir, layer.etcdDataDir),
  };
}

export async function startControlPlane(o: StartOptions = {}): Promise<ControlPlane> {
  const say = o.progress ?? ((m: string) => process.stderr.write(`controlplane: ${m}\n`));
  const bins = binaries();
  const runtime = o.runtime ?? defaultRuntime();
  // Fail before starting anything when the node's binaries or images are missing.
  const nodeBins = runtime === 'containerd' ? nodeBinaries() : undefined;
  const versions = readVersions();
  const t0 = Date.now();
  const { runDir, etcdDataDir, pidDir, logDir, etcd, api, pki, kubeconfig, prepared } = await startApiLayer(
    say,
    runtime === 'containerd',
  );
  try {
    await startControllerManager({
      bin: bins.controllerManager,
      kubeconfig,
      server: api.server,
      pki,
      pidDir,
      logDir,
      ...(prepared === undefined ? {} : { podCidr: prepared.network.podCidr }),
    });
    say(`kube-controller-manager ready (${Date.now() - t0} ms)`);
    let pgUrl: string | undefined;
    if (o.postgres === true) {
      // On a real node PostgreSQL listens on the node IP too, so pods reach it (an external ledger).
      const pg = await startPostgres({
        runDir: join(runDir, 'postgres'),
        ...(prepared === undefined
          ? {}
          : { host: prepared.network.nodeIp, allowCidr: prepared.network.podCidr }),
      });
      writePidFile(pidDir, 'postgres', pg.pid);
      pgUrl = pg.url;
      say(`PostgreSQL ready on ${pg.host}:${pg.port}`);
    }
    const state: RunState = {
      runDir,
      etcdDataDir,
      etcdUrl: etcd.url,
      server: api.server,
      apiserverPort: api.port,
      caFile: api.caFile,
      kubeconfig,
      k8sVersion: versions.k8sVersion,
      kubectl: bins.kubectl,
      helm: bins.helm,
      ports: [etcd.clientPort, etcd.peerPort, api.port],
      ...(pgUrl === undefined ? {} : { pgUrl }),
      startedAt: new Date().toISOString(),
      runtime,
    };
    writeState(state);
    if (prepared === undefined || nodeBins === undefined) {
      await startRunnerProcess(runDir);
      say(`pod runner ready; control plane up in ${Date.now() - t0} ms (run directory ${runDir})`);
      return { state, env: envOf(state), stop: () => stopRun(runDir, etcdDataDir) };
    }
    const kubeletKubeconfig = join(runDir, 'kubelet.kubeconfig');
    writeKubeconfig(kubeletKubeconfig, {
      server: api.server,
      caFile: api.caFile,
      user: `system:node:${NODE_NAME}`,
      token: pki.tokens['kubelet'] ?? '',
    });
    const rec = await startNode({ runDir, prepared, bins: nodeBins, kubeconfig, kubeletKubeconfig, say });
    const full: RunState = { ...state, nodeIp: prepared.network.nodeIp, images: rec.images };
    writeState(full);
    say(`local node ready; cluster up in ${Date.now() - t0} ms (run directory ${runDir})`);
    return { state: full, env: envOf(full), stop: () => stopRun(runDir, etcdDataDir) };
  } catch (err) {
    await stopRun(runDir, etcdDataDir);
    throw err;
  }
}

async function startRunnerProcess(runDir: string): Promise<void> {
  const logFile = join(runLayout.logs(runDir), 'pod-runner.log');
  const proc = spawnDetached({
    name: 'pod-runner',
    cmd: nodeBinary(),
    args: tsxArgs(join(controlPlaneDir, 'src', 'pod-runner', 'main.ts')).concat(runDir),
    pidDir: runLayout.pids(runDir),
    logFile,
    cwd: repoRoot,
  });
  let exitCode: number | undefined;
  void proc.exited.then((c) => (exitCode = c));
  await waitFor(
    'pod runner',
    async () => existsSync(join(runDir, 'pod-runner.ready')),
    60_000,
    () => (exitCode === undefined ? undefined : `exited with ${exitCode}; see ${logFile}`),
  );
}

export { readState };
