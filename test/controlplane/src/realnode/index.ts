// The real node of the local cluster: prepareNode() checks and builds the contained pod network and the
// kubelet certificates before the apiserver starts (it listens on the node IP); startNode() then starts
// containerd (importing the locally built images), CoreDNS, kube-proxy, the NetworkPolicy enforcer
// (kube-network-policies), kube-scheduler, the kubelet and the volume provisioner, and waits for the Node to be Ready. stopNode() takes all of it down again:
// pods first (so CNI releases their network), then the components, containers, mounts, network
// namespaces, iptables chains and the network. What the run made is recorded in <run>/realnode.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import {
  cacheRoot,
  nodeBinary,
  repoRoot,
  runLayout,
  tsxArgs,
  controlPlaneDir,
  type NodeBinaries,
} from '../paths.js';
import { spawnDetached, readPidFiles, stopGroup, removePidFile } from '../procs.js';
import { freePort } from '../ports.js';
import { get, sleep, waitFor } from '../http.js';
import { createApi } from '../pod-runner/api.js';
import {
  checkRanges,
  nodeNetwork,
  saveSysctls,
  setupNetwork,
  teardownNetwork,
  type NodeNetwork,
  type SavedSysctls,
} from './network.js';
import { writeNodePki, type NodePki } from './pki.js';
import { liveNodeRuns } from '../abandoned-runs.js';
import {
  builtImages,
  CNI_NETWORK,
  containerdCommand,
  containerdPaths,
  importImages,
  removeAllContainers,
  shimPids,
  startContainerd,
  type ContainerdOptions,
} from './containerd.js';
import {
  corednsCommand,
  kubeletCommand,
  kubeProxyCommand,
  NODE_NAME,
  schedulerCommand,
  type Command,
} from './components.js';
import { installQueue, netpolCommand, NETPOL_QUEUE, queueBound, removeQueue } from './netpol.js';

export interface RealNodeRecord {
  readonly network: NodeNetwork;
  readonly sysctls: SavedSysctls;
  /** Network namespaces that existed before the run (the run removes only the others). */
  readonly netnsBefore: string[];
  /** nftables tables that existed before the run, as `family name` (iptables-nft makes its own). */
  readonly nftTablesBefore: string[];
  readonly containerdSocket: string;
  /** Image references by short name (pause, node-base, postgres, anylog-operator). */
  readonly images: Record<string, string>;
  /** How each node process was started, so a test can stop and start it again. */
  readonly commands: Record<string, Command>;
}

const recordFile = (runDir: string): string => join(runDir, 'realnode.json');

export function readNodeRecord(runDir: string): RealNodeRecord | undefined {
  const f = recordFile(runDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RealNodeRecord) : undefined;
}

function writeNodeRecord(runDir: string, r: RealNodeRecord): void {
  writeFileSync(recordFile(runDir), `${JSON.stringify(r, null, 2)}\n`);
}

/** `family name` of every nftables table. */
function listNftTables(): string[] {
  try {
    return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.replace(/^table /, '').trim())
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

/**
 * The iptables rules the kubelet adds for itself: its canary chains and KUBE-FIREWALL (jumped to from
 * INPUT and OUTPUT). kube-proxy --cleanup removes kube-proxy's. Then the iptables-nft tables this run
 * brought into being, when no rule is left in them.
 */
function removeIptablesTraces(tablesBefore: readonly string[]): void {
  for (const [bin, family] of [
    ['iptables', 'ip'],
    ['ip6tables', 'ip6'],
  ] as const) {
    for (const hook of ['INPUT', 'OUTPUT']) tryRun(bin, ['-t', 'filter', '-D', hook, '-j', 'KUBE-FIREWALL']);
    for (const table of ['mangle', 'nat', 'filter']) {
      for (const chain of ['KUBE-KUBELET-CANARY', 'KUBE-IPTABLES-HINT', 'KUBE-FIREWALL']) {
        tryRun(bin, ['-t', table, '-F', chain]);
        tryRun(bin, ['-t', table, '-X', chain]);
      }
      if (tablesBefore.includes(`${family} ${table}`)) continue;
      let rules = '';
      try {
        rules = execFileSync(bin, ['-t', table, '-S'], { encoding: 'utf8' });
      } catch {
        continue;
      }
      if (rules.split('\n').every((l) => l === '' || l.startsWith('-P '))) {
        tryRun('nft', ['delete', 'table', family, table]);
      }
    }
  }
}

const NETNS_DIR = '/var/run/netns';
const listNetns = (): string[] => (existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR) : []);

export interface PreparedNode {
  readonly network: NodeNetwork;
  readonly pki: NodePki;
}

/** Checks the ranges, records what teardown must restore, installs the contained network. */
export function prepareNode(runDir: string): PreparedNode {
  const network = nodeNetwork();
  checkRanges(network);
  if (readPidFiles(runLayout.pids(runDir)).some((r) => r.name === 'kubelet')) {
    throw new Error('this run already has a node');
  }
  const bridgeTaken = ((): boolean => {
    try {
      execFileSync('ip', ['link', 'show', network.bridge], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (bridgeTaken) {
    const live = liveNodeRuns();
    throw new Error(
      live.length > 0
        ? `the bridge ${network.bridge} exists: another local node is running (run ${live.join(', ')}; npm run cluster:down stops a developer's cluster)`
        : `the bridge ${network.bridge} exists but no run of this project owns it: remove it (ip link delete ${network.bridge})`,
    );
  }
  const socket = containerdPaths(cacheRoot(), runDir).socket;
  writeNodeRecord(runDir, {
    network,
    sysctls: saveSysctls(),
    netnsBefore: listNetns(),
    nftTablesBefore: listNftTables(),
    containerdSocket: socket,
    images: {},
    commands: {},
  });
  setupNetwork(network);
  const pki = writeNodePki(join(runLayout.pki(runDir), 'node'), network.nodeIp, NODE_NAME);
  return { network, pki };
}

export interface StartNodeOptions {
  readonly runDir: string;
  readonly prepared: PreparedNode;
  readonly bins: NodeBinaries;
  /** The admin kubeconfig (CoreDNS, kube-proxy, kube-scheduler, the provisioner). */
  readonly kubeconfig: string;
  /** The kubelet's own: a node identity (system:node:<name>), under the Node authorizer. */
  readonly kubeletKubeconfig: string;
  readonly say: (m: string) => void;
}

function spawnRecorded(runDir: string, name: string, c: Command): ReturnType<typeof spawnDetached> {
  return spawnDetached({
    name,
    cmd: c.cmd,
    args: c.args,
    pidDir: runLayout.pids(runDir),
    logFile: join(runLayout.logs(runDir), `${name}.log`),
  });
}

/** Reads images.env of the image build: PAUSE_IMAGE, NODE_BASE_IMAGE, POSTGRES_IMAGE, PROJECT_IMAGE. */
export function imageRefs(imagesDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(imagesDir, 'images.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)="?([^"]*)"?$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

export async function startNode(o: StartNodeOptions): Promise<RealNodeRecord> {
  const { runDir, prepared, bins, kubeconfig, kubeletKubeconfig, say } = o;
  const { network, pki } = prepared;
  const t0 = Date.now();
  const since = (): string => `${Date.now() - t0} ms`;
  const refs = imageRefs(bins.imagesDir);
  const pause = refs['PAUSE_IMAGE'];
  if (pause === undefined) throw new Error(`${bins.imagesDir}/images.env names no PAUSE_IMAGE`);
  const paths = containerdPaths(cacheRoot(), runDir);
  const cOpts: ContainerdOptions = {
    bin: bins.containerd,
    paths,
    network,
    sandboxImage: pause,
    pidDir: runLayout.pids(runDir),
    logDir: runLayout.logs(runDir),
  };
  await startContainerd(cOpts);
  // Containers left by a run that was killed before its teardown belong to nobody now.
  removeAllContainers(paths.socket);
  const imported = importImages(paths.socket, paths.root, builtImages(bins.imagesDir));
  say(
    `containerd ready, ${imported.length === 0 ? 'images already imported' : `imported ${imported.join(', ')}`} (${since()})`,
  );

  const commands: Record<string, Command> = { containerd: containerdCommand(cOpts) };
  const readyPort = await freePort();
  commands['coredns'] = corednsCommand({ bin: bins.coredns, runDir, kubeconfig, network, readyPort });
  spawnRecorded(runDir, 'coredns', commands['coredns']);

  const proxyHealthz = await freePort();
  commands['kube-proxy'] = kubeProxyCommand({
    bin: bins.kubeProxy,
    runDir,
    kubeconfig,
    network,
    healthzPort: proxyHealthz,
    metricsPort: await freePort(),
  });
  spawnRecorded(runDir, 'kube-proxy', commands['kube-proxy']);
  installQueue(network);
  commands['kube-network-policies'] = netpolCommand({ bin: bins.netpol, kubeconfig });
  const netpol = spawnRecorded(runDir, 'kube-network-policies', commands['kube-network-policies']);
  let netpolExit: number | undefined;
  void netpol.exited.then((c) => (netpolExit = c));
  commands['kube-scheduler'] = schedulerCommand(bins.scheduler, kubeconfig);
  spawnRecorded(runDir, 'kube-scheduler', commands['kube-scheduler']);

  commands['kubelet'] = kubeletCommand({
    bin: bins.kubelet,
    runDir,
    kubeconfig: kubeletKubeconfig,
    network,
    pki,
    containerdSocket: paths.socket,
    port: await freePort(network.nodeIp),
    healthzPort: await freePort(),
  });
  const kubelet = spawnRecorded(runDir, 'kubelet', commands['kubelet']);
  let kubeletExit: number | undefined;
  void kubelet.exited.then((c) => (kubeletExit = c));

  const record: RealNodeRecord = {
    ...(readNodeRecord(runDir) as RealNodeRecord),
    images: {
      pause,
      ...(refs['NODE_BASE_IMAGE'] === undefined ? {} : { 'node-base': refs['NODE_BASE_IMAGE'] }),
      ...(refs['POSTGRES_IMAGE'] === undefined ? {} : { postgres: refs['POSTGRES_IMAGE'] }),
      ...(refs['PROJECT_IMAGE'] === undefined ? {} : { 'anylog-operator': refs['PROJECT_IMAGE'] }),
    },
    commands,
  };
  writeNodeRecord(runDir, record);

  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = createApi(kc);
  await waitFor(
    `node ${NODE_NAME}`,
    async () => {
      const node = await api.find(`/api/v1/nodes/${NODE_NAME}`);
      const conds = (node?.['status']?.['conditions'] ?? []) as { type: string; status: string }[];
      return conds.some((c) => c.type === 'Ready' && c.status === 'True');
    },
    120_000,
    () =>
      kubeletExit === undefined
        ? undefined
        : `kubelet exited with ${kubeletExit}; see ${runLayout.logs(runDir)}/kubelet.log`,
  );
  say(`node ${NODE_NAME} Ready (${since()})`);
  await waitFor(
    'CoreDNS',
    async () => (await get(`http://127.0.0.1:${readyPort}/ready`)).status === 200,
    60_000,
  );
  // kube-proxy's healthz turns 200 once it has programmed the Services it has seen.
  await waitFor(
    'kube-proxy',
    async () => (await get(`http://127.0.0.1:${proxyHealthz}/healthz`)).status === 200,
    60_000,
  );

  // The controller binds its netfilter queue once its informers have synced: from then on it judges packets.
  await waitFor(
    'kube-network-policies',
    async () => queueBound(NETPOL_QUEUE),
    60_000,
    () =>
      netpolExit === undefined
        ? undefined
        : `exited with ${netpolExit}; see ${runLayout.logs(runDir)}/kube-network-policies.log`,
  );

  const provisioner = spawnDetached({
    name: 'provisioner',
    cmd: nodeBinary(),
    args: tsxArgs(join(controlPlaneDir, 'src', 'realnode', 'provisioner-main.ts')).concat(runDir),
    pidDir: runLayout.pids(runDir),
    logFile: join(runLayout.logs(runDir), 'provisioner.log'),
    cwd: repoRoot,
  });
  let provExit: number | undefined;
  void provisioner.exited.then((c) => (provExit = c));
  await waitFor(
    'volume provisioner',
    async () => existsSync(join(runDir, 'provisioner.ready')),
    60_000,
    () => (provExit === undefined ? undefined : `exited with ${provExit}; see provisioner.log`),
  );
  say(
    `CoreDNS, kube-proxy, kube-network-policies, kube-scheduler and the volume provisioner ready (${since()})`,
  );
  return record;
}

/** Stop the named processes of a run (by their PID files), in order. */
async function stopNamed(runDir: string, names: readonly string[], graceMs = 10_000): Promise<void> {
  const pidDir = runLayout.pids(runDir);
  const records = readPidFiles(pidDir);
  for (const name of names) {
    for (const r of records.filter((x) => x.name === name)) {
      await stopGroup(r.pid, graceMs, r.startTime);
      removePidFile(pidDir, r.name);
    }
  }
}

function tryRun(cmd: string, args: readonly string[]): void {
  try {
    execFileSync(cmd, [...args], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    /* nothing to remove */
  }
}

/** Delete every pod at once and wait until containerd runs no task (the kubelet tears the sandboxes down). */
async function drainPods(runDir: string, socket: string): Promise<void> {
  const kubeconfig = runLayout.kubeconfig(runDir);
  if (!existsSync(kubeconfig)) return;
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const api = createApi(kc, 5000);
    const pods = ((await api.get('/api/v1/pods'))['items'] ?? []) as {
      metadata: { namespace: string; name: string };
    }[];
    await Promise.all(
      pods.map((p) =>
        api
          .call('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`, {
            gracePeriodSeconds: 0,
          })
          .catch(() => undefined),
      ),
    );
  } catch {
    return; // the apiserver is gone: containers are removed directly below
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    let tasks = '';
    try {
      tasks = execFileSync('ctr', ['--address', socket, '-n', 'k8s.io', 'tasks', 'ls', '-q'], {
        encoding: 'utf8',
        timeout: 10_000,
      }).trim();
    } catch {
      return;
    }
    // Only pause containers may remain while the kubelet stops sandboxes: wait for none.
    if (tasks === '') return;
    await sleep(500);
  }
}

/** Every mount point at or under dir, deepest first. */
function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = lines.map((l) => l.split(' ')[4] ?? '').filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Take the node down and remove everything it made; safe to call twice or after a partial start. */
export async function stopNode(runDir: string): Promise<void> {
  const rec = readNodeRecord(runDir);
  if (rec === undefined) return;
  const socket = rec.containerdSocket;
  await stopNamed(runDir, ['provisioner', 'kube-scheduler', 'kube-controller-manager']);
  const containerdUp = readPidFiles(runLayout.pids(runDir)).some((r) => r.name === 'containerd');
  const kubeletUp = readPidFiles(runLayout.pids(runDir)).some((r) => r.name === 'kubelet');
  if (containerdUp && kubeletUp) await drainPods(runDir, socket);
  await stopNamed(runDir, ['kubelet', 'kube-network-policies', 'kube-proxy', 'coredns']);
  removeQueue();
  const kubeProxy = rec.commands['kube-proxy'];
  if (kubeProxy !== undefined) tryRun(kubeProxy.cmd, ['--cleanup', ...kubeProxy.args]);
  if (containerdUp) {
    try {
      removeAllContainers(socket);
    } catch {
      /* containerd not answering: the shims are killed below */
    }
  }
  await stopNamed(runDir, ['containerd']);
  for (const pid of shimPids(socket)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const m of mountsUnder(runDir)) tryRun('umount', ['-l', m]);
  for (const ns of listNetns()) {
    if (!rec.netnsBefore.includes(ns) && ns.startsWith('cni-')) tryRun('ip', ['netns', 'delete', ns]);
  }
  removeIptablesTraces(rec.nftTablesBefore);
  teardownNetwork(rec.network, rec.sysctls);
  const results = '/var/lib/cni/results';
  if (existsSync(results)) {
    for (const f of readdirSync(results)) {
      if (f.startsWith(`${CNI_NETWORK}-`)) rmSync(join(results, f), { force: true });
    }
  }
  rmSync(recordFile(runDir), { force: true });
}
