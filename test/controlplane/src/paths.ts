// Where the local cluster's files live: the repository root, versions.env, the binary and image caches
// outside the repository, the Node 24 binary and fresh per-run directories.
// The only module that knows these locations; everything else asks it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const controlPlaneDir = join(repoRoot, 'test', 'controlplane');
export const scriptsDir = join(controlPlaneDir, 'scripts');

export interface Versions {
  readonly k8sVersion: string;
  readonly helmPackage: string;
  readonly corednsVersion: string;
  readonly netpolVersion: string;
}

/** Parse the KEY="value" lines of versions.env. */
export function readVersions(): Versions {
  const text = readFileSync(join(controlPlaneDir, 'versions.env'), 'utf8');
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)="?([^"]*)"?\s*$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) vars.set(m[1], m[2]);
  }
  const k8sVersion = vars.get('K8S_VERSION');
  const helmPackage = vars.get('HELM_PKG');
  if (k8sVersion === undefined || helmPackage === undefined) {
    throw new Error('test/controlplane/versions.env lacks K8S_VERSION or HELM_PKG');
  }
  return {
    k8sVersion,
    helmPackage,
    corednsVersion: vars.get('COREDNS_VERSION') ?? 'v1.15.0',
    netpolVersion: vars.get('NETPOL_VERSION') ?? 'v0.8.0',
  };
}

export function cacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache');
  return join(base, 'anylog-operator');
}

export function k8sBinDir(v: Versions = readVersions()): string {
  return join(cacheRoot(), `k8s-${v.k8sVersion}`, 'bin');
}

export function toolsBinDir(v: Versions = readVersions()): string {
  const name = v.helmPackage.replace(/^@/, '').replace(/[/@]/g, '_');
  return join(cacheRoot(), 'tools', name, 'bin');
}

export interface Binaries {
  readonly etcd: string;
  readonly apiserver: string;
  readonly controllerManager: string;
  readonly kubectl: string;
  readonly helm: string;
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/sbin']) {
    if (existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

/** Locate every binary or fail with a message naming the script that provides it (never skip). */
export function binaries(): Binaries {
  const v = readVersions();
  const k8s = k8sBinDir(v);
  const tools = toolsBinDir(v);
  const missing: string[] = [];
  const etcd = which('etcd');
  if (etcd === undefined) missing.push('etcd (run test/controlplane/scripts/ensure-packages.sh)');
  const need = (dir: string, name: string, script: string): string => {
    const p = join(dir, name);
    if (!existsSync(p) || !existsSync(join(dir, '.stamp'))) {
      missing.push(`${p} (run test/controlplane/scripts/${script})`);
    }
    return p;
  };
  const apiserver = need(k8s, 'kube-apiserver', 'build.sh');
  const controllerManager = need(k8s, 'kube-controller-manager', 'build.sh');
  const kubectl = need(tools, 'kubectl', 'install-tools.sh');
  const helm = need(tools, 'helm', 'install-tools.sh');
  if (missing.length > 0 || etcd === undefined) {
    throw new Error(`the test control plane is not installed; missing:\n  ${missing.join('\n  ')}`);
  }
  return { etcd, apiserver, controllerManager, kubectl, helm };
}

export interface NodeBinaries {
  readonly kubelet: string;
  readonly kubeProxy: string;
  readonly scheduler: string;
  readonly coredns: string;
  /** The NetworkPolicy enforcer (sigs.k8s.io/kube-network-policies). */
  readonly netpol: string;
  readonly containerd: string;
  /** Where scripts/build-images.sh leaves the image archives. */
  readonly imagesDir: string;
}

/** What the real node needs beyond the control plane, or fail naming the script that provides it. */
export function nodeBinaries(): NodeBinaries {
  const v = readVersions();
  const k8s = k8sBinDir(v);
  const missing: string[] = [];
  const need = (p: string, how: string): string => {
    if (!existsSync(p)) missing.push(`${p} (${how})`);
    return p;
  };
  const build = 'run test/controlplane/scripts/build.sh';
  const kubelet = need(join(k8s, 'kubelet'), build);
  const kubeProxy = need(join(k8s, 'kube-proxy'), build);
  const scheduler = need(join(k8s, 'kube-scheduler'), build);
  const coredns = need(
    join(cacheRoot(), `coredns-${v.corednsVersion}`, 'bin', 'coredns'),
    'run test/controlplane/scripts/build-coredns.sh',
  );
  const netpol = need(
    join(cacheRoot(), `kube-network-policies-${v.netpolVersion}`, 'bin', 'kube-network-policies'),
    'run test/controlplane/scripts/build-netpol.sh',
  );
  const containerd = which('containerd') ?? '';
  if (containerd === '') missing.push('containerd (run test/controlplane/scripts/ensure-packages.sh)');
  for (const tool of ['ctr', 'runc', 'nft', 'iptables', 'ip', 'openssl']) {
    if (which(tool) === undefined) missing.push(`${tool} (run test/controlplane/scripts/ensure-packages.sh)`);
  }
  const imagesDir = join(cacheRoot(), 'images');
  need(join(imagesDir, 'images.env'), 'run test/controlplane/scripts/build-images.sh');
  if (missing.length > 0) {
    throw new Error(`the local node is not installed; missing:\n  ${missing.join('\n  ')}`);
  }
  return { kubelet, kubeProxy, scheduler, coredns, netpol, containerd, imagesDir };
}

/** Node 24 from the node@24 devDependency: never the system node. */
export function nodeBinary(): string {
  const p = join(repoRoot, 'node_modules', '.bin', 'node');
  if (!existsSync(p)) throw new Error(`${p} is missing: run npm ci`);
  return p;
}

/** Arguments that make Node 24 run a TypeScript entry point through tsx. */
export function tsxArgs(entry: string): string[] {
  return ['--import', join(repoRoot, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs'), entry];
}

/** A fresh run directory under the OS temp directory. */
export function newRunDir(): string {
  return mkdtempSync(join(tmpdir(), 'anylog-cp-'));
}

/** A fresh directory on tmpfs (for etcd's data); falls back to the temp directory. */
export function newTmpfsDir(prefix: string): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return mkdtempSync(join(base, prefix));
}

/**
 * Where `cluster:up` records its run (one local cluster per machine). ANYLOG_CLUSTER_POINTER moves it,
 * so the CLI's own test can run an isolated `up`/`env`/`down` beside a developer's cluster.
 */
export function localClusterPointer(): string {
  return process.env['ANYLOG_CLUSTER_POINTER'] ?? join(cacheRoot(), 'local-cluster.json');
}

export const runLayout = {
  pids: (run: string) => join(run, 'pids'),
  logs: (run: string) => join(run, 'logs'),
  pki: (run: string) => join(run, 'pki'),
  kubeconfig: (run: string) => join(run, 'kubeconfig'),
  state: (run: string) => join(run, 'state.json'),
  pods: (run: string) => join(run, 'pods'),
  pvs: (run: string) => join(run, 'pvs'),
};
