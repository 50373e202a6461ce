// containerd for the real node: Debian's containerd and runc with the CRI plugin, cgroupfs, the locally
// built pause image as sandbox image and the CNI bridge network of this run. Its content store is kept in
// the cache (imported images survive runs); its state, socket, runc root and CNI files are the run's.
// Also: importing the locally built images, and removing every container of the run at teardown.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnDetached, type Managed } from '../procs.js';
import { waitFor } from '../http.js';
import { lastPodAddress, type NodeNetwork } from './network.js';

export interface ContainerdPaths {
  /** Content store and snapshots (persistent, in the cache). */
  readonly root: string;
  /** Per-run state: the socket, runc's root, CNI configuration and IPAM data. */
  readonly state: string;
  readonly socket: string;
  readonly runcRoot: string;
  readonly cniConfDir: string;
  readonly cniDataDir: string;
  readonly config: string;
}

export const CNI_BIN_DIR = '/usr/lib/cni';
export const CNI_NETWORK = 'anylog-pods';

export function containerdPaths(cacheRoot: string, runDir: string): ContainerdPaths {
  const state = join(runDir, 'containerd');
  return {
    root: join(cacheRoot, 'containerd', 'root'),
    state,
    socket: join(state, 'containerd.sock'),
    runcRoot: join(state, 'runc'),
    cniConfDir: join(runDir, 'cni', 'net.d'),
    cniDataDir: join(runDir, 'cni', 'ipam'),
    config: join(runDir, 'containerd.toml'),
  };
}

/** containerd 1.6 configuration (format version 2). */
export function containerdConfig(p: ContainerdPaths, sandboxImage: string): string {
  return `version = 2
root = "${p.root}"
state = "${p.state}"
disabled_plugins = [
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "${p.socket}"

[ttrpc]
  address = "${p.socket}.ttrpc"

[metrics]
  address = ""

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # Root here lacks CAP_SYS_RESOURCE: no process may lower its OOM score, so runc must not try.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "${p.runcRoot}"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${CNI_BIN_DIR}"
    conf_dir = "${p.cniConfDir}"
    max_conf_num = 1
`;
}

/**
 * The pod network: a bridge whose own address is the node IP, host-local addresses from the pod range
 * (all but its last address, kept for a test host),
 * no masquerading, and routes only to the Service range: a pod has no default route at all.
 */
export function cniConfig(n: NodeNetwork, dataDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: CNI_NETWORK,
      plugins: [
        {
          type: 'bridge',
          bridge: n.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir,
            ranges: [[{ subnet: n.podCidr, gateway: n.nodeIp, rangeEnd: lastPodAddress(n) }]],
            routes: [{ dst: n.serviceCidr }],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

export function ctr(socket: string, args: readonly string[], timeoutMs = 120_000): string {
  return execFileSync('ctr', ['--address', socket, '--namespace', 'k8s.io', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface ContainerdOptions {
  readonly bin: string;
  readonly paths: ContainerdPaths;
  readonly network: NodeNetwork;
  readonly sandboxImage: string;
  readonly pidDir: string;
  readonly logDir: string;
}

/** The command line the run starts containerd with (recorded so a test can restart it). */
export function containerdCommand(o: ContainerdOptions): { cmd: string; args: string[] } {
  return { cmd: o.bin, args: ['--config', o.paths.config, '--log-level', 'warn'] };
}

export async function startContainerd(o: ContainerdOptions): Promise<Managed> {
  const p = o.paths;
  for (const d of [p.root, p.state, p.cniConfDir, p.cniDataDir]) mkdirSync(d, { recursive: true });
  writeFileSync(p.config, containerdConfig(p, o.sandboxImage));
  writeFileSync(join(p.cniConfDir, `10-${CNI_NETWORK}.conflist`), cniConfig(o.network, p.cniDataDir));
  const { cmd, args } = containerdCommand(o);
  const logFile = join(o.logDir, 'containerd.log');
  const proc = spawnDetached({ name: 'containerd', cmd, args, pidDir: o.pidDir, logFile });
  let exitCode: number | undefined;
  void proc.exited.then((c) => (exitCode = c));
  await waitContainerd(p.socket, 60_000, () =>
    exitCode === undefined ? undefined : `exited with ${exitCode}; see ${logFile}`,
  );
  return proc;
}

export async function waitContainerd(
  socket: string,
  timeoutMs: number,
  aborted?: () => string | undefined,
): Promise<void> {
  await waitFor(
    'containerd',
    async () => {
      if (!existsSync(socket)) return false;
      ctr(socket, ['version'], 5000);
      return true;
    },
    timeoutMs,
    aborted,
  );
}

export interface ImageArchive {
  /** Short name (pause, node-base, postgres, anylog-operator). */
  readonly name: string;
  readonly ref: string;
  readonly tar: string;
  readonly stamp: string;
}

/** The images built by scripts/build-images.sh: NAME.tar, NAME.ref and NAME.stamp in its cache. */
export function builtImages(imagesDir: string): ImageArchive[] {
  if (!existsSync(imagesDir)) return [];
  return readdirSync(imagesDir)
    .filter((f) => f.endsWith('.tar'))
    .map((f) => {
      const name = f.slice(0, -4);
      const read = (ext: string): string => {
        const file = join(imagesDir, `${name}.${ext}`);
        return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
      };
      return { name, ref: read('ref'), tar: join(imagesDir, f), stamp: read('stamp') };
    })
    .filter((i) => i.ref !== '' && i.stamp !== '');
}

/**
 * Import each image into containerd's k8s.io namespace unless the same build (its stamp) is already
 * there. Returns the images imported now.
 */
export function importImages(socket: string, root: string, images: readonly ImageArchive[]): string[] {
  const marks = join(root, '..', 'imported');
  mkdirSync(marks, { recursive: true });
  const present = new Set(
    ctr(socket, ['images', 'ls', '-q'])
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  );
  const done: string[] = [];
  for (const img of images) {
    const mark = join(marks, `${img.name}.stamp`);
    if (present.has(img.ref) && existsSync(mark) && readFileSync(mark, 'utf8').trim() === img.stamp) continue;
    ctr(socket, ['images', 'import', img.tar], 600_000);
    writeFileSync(mark, `${img.stamp}\n`);
    done.push(img.ref);
  }
  return done;
}

/** Kill every task and delete every container in the k8s.io namespace (teardown, or leftovers at start). */
export function removeAllContainers(socket: string): void {
  const list = (args: string[]): string[] =>
    ctr(socket, args, 30_000)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  let tasks: string[] = [];
  try {
    tasks = list(['tasks', 'ls', '-q']);
  } catch {
    /* no tasks service */
  }
  for (const t of tasks) {
    try {
      ctr(socket, ['tasks', 'kill', '--signal', 'SIGKILL', t], 15_000);
    } catch {
      /* already stopped */
    }
  }
  for (const t of tasks) {
    try {
      ctr(socket, ['tasks', 'delete', '--force', t], 15_000);
    } catch {
      /* gone */
    }
  }
  for (const c of list(['containers', 'ls', '-q'])) {
    try {
      ctr(socket, ['containers', 'delete', c], 15_000);
    } catch {
      /* gone */
    }
  }
}

/** PIDs of containerd shims serving this run's socket (they outlive containerd by design). */
export function shimPids(socket: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if ((cmdline[0] ?? '').includes('containerd-shim') && cmdline.includes(socket)) out.push(Number(entry));
    } catch {
      /* exited */
    }
  }
  return out;
}
