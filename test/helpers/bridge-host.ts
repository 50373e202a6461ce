// A test host on the real node's pod bridge: a network namespace this test creates, joined to the bridge
// by a veth pair and given the last address of the pod range, which the node gives no pod (the CNI
// configuration's rangeEnd stops below it). Its packets reach pods as a pod's would, from an address that no pod
// holds. Root only; removed in the test's teardown.
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { nodeNetwork, testHostAddress } from '../controlplane/src/realnode/network.js';

export interface BridgeHost {
  /** The process that holds the host's network namespace. */
  readonly pid: number;
  readonly address: string;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Run a command inside the host's network namespace. */
function inHost(pid: number, cmd: string[], timeoutMs?: number): SpawnSyncReturns<Buffer> {
  return spawnSync('nsenter', ['-t', String(pid), '-n', '--', ...cmd], {
    stdio: 'ignore',
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  });
}

/**
 * Create the host on the node's bridge. Its namespace belongs to a `sleep` started by `unshare`, not to a
 * name under /run/netns: `ip netns add` would bind-mount that directory over the namespaces of the node's
 * pods, which their teardown could then no longer remove. Teardown kills the process, and the namespace
 * goes with it, taking the veth pair along.
 */
export function addBridgeHost(t: Test, network = nodeNetwork()): BridgeHost {
  const outside = `anybh${randomBytes(3).toString('hex')}`;
  const inside = `${outside}i`;
  const prefixlen = network.podCidr.split('/')[1] ?? '32';
  const address = testHostAddress(network);
  const holder = spawn('unshare', ['--net', 'sleep', '3600'], { stdio: 'ignore' });
  const pid = holder.pid;
  if (pid === undefined) throw new Error('unshare did not start');
  t.teardown(() => {
    holder.kill('SIGKILL');
    spawnSync('ip', ['link', 'del', outside]);
  });
  // unshare enters the new namespace before it runs sleep: wait until the pid's namespace differs
  const own = readlinkSync('/proc/self/ns/net');
  for (let i = 0; i < 200 && readlinkSync(`/proc/${pid}/ns/net`) === own; i++) {
    execFileSync('sleep', ['0.01']);
  }
  ip(['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
  ip(['link', 'set', inside, 'netns', String(pid)]);
  ip(['link', 'set', outside, 'master', network.bridge, 'up']);
  for (const cmd of [
    ['ip', 'addr', 'add', `${address}/${prefixlen}`, 'dev', inside],
    ['ip', 'link', 'set', inside, 'up'],
    ['ip', 'link', 'set', 'lo', 'up'],
  ]) {
    const r = inHost(pid, cmd);
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} in the test host failed (${r.status})`);
  }
  return { pid, address };
}

/** One TCP connect from the host: "connected", "timeout" or "error", and how long it took. */
export function connectFromHost(
  host: BridgeHost,
  address: string,
  port: number,
  timeoutMs: number,
): { outcome: string; ms: number } {
  const start = Date.now();
  const r = inHost(host.pid, ['bash', '-c', `exec 3<>/dev/tcp/${address}/${port}`], timeoutMs);
  const ms = Date.now() - start;
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return { outcome: 'timeout', ms };
  return { outcome: r.status === 0 ? 'connected' : `error (exit ${r.status ?? r.signal})`, ms };
}
