// Starts the run's own etcd on free loopback ports with its data directory on
// tmpfs (mode 0700), and waits until /health reports healthy. Debian's etcd-server 3.4 is used as is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, PortInUseError } from './ports.js';
import { spawnDetached, stopGroup, type Managed } from './procs.js';
import { get, waitFor } from './http.js';

export interface EtcdHandle {
  readonly url: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly proc: Managed;
}

export interface EtcdOptions {
  readonly bin: string;
  readonly dataDir: string;
  readonly pidDir: string;
  readonly logDir: string;
}

export async function startEtcd(o: EtcdOptions): Promise<EtcdHandle> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const logFile = join(o.logDir, 'etcd.log');
  const proc = spawnDetached({
    name: 'etcd',
    cmd: o.bin,
    args: [
      '--name=n0',
      `--data-dir=${join(o.dataDir, 'member-data')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=n0=${peer}`,
      '--logger=zap',
      '--log-outputs=stderr',
      '--log-level=warn',
      '--experimental-watch-progress-notify-interval=5s',
    ],
    pidDir: o.pidDir,
    logFile,
  });
  let exitCode: number | undefined;
  void proc.exited.then((c) => (exitCode = c));
  try {
    await waitFor(
      'etcd',
      async () => {
        const r = await get(`${client}/health`, { timeoutMs: 1000 });
        return r.status === 200 && /"health"\s*:\s*"true"/.test(r.body);
      },
      20_000,
      () => (exitCode === undefined ? undefined : `exited with ${exitCode}; see ${logFile}`),
    );
  } catch (err) {
    await stopGroup(proc.pid, 2000);
    if (/address already in use/.test(safeRead(logFile))) throw new PortInUseError('etcd');
    throw err;
  }
  return { url: client, clientPort, peerPort, proc };
}

function safeRead(f: string): string {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}
