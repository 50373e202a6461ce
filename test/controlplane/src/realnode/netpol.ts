// The node's NetworkPolicy enforcement: kube-network-policies as a host process (like kube-proxy, with
// the admin kubeconfig and the node's name) and the netfilter rule that hands it the packets to judge.
// The controller would install that rule itself as an nftables `queue` expression, but the kernels this
// runs on may lack nft_queue while still having nfnetlink_queue and the xtables NFQUEUE target; so the
// node installs the equivalent with iptables (iptables-nft, through nft_compat) in a chain of its own in
// the mangle table's FORWARD hook. Only new pod-to-pod connections are queued (Service traffic is
// already DNAT-ed to a pod address in PREROUTING); the controller accepts the ones no policy restricts.
// Traffic from the host itself (kubelet probes, the node IP) takes OUTPUT and is never queued, as the
// controller also exempts root's packets.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from './components.js';
import { NODE_NAME } from './components.js';
import type { NodeNetwork } from './network.js';

export const NETPOL_CHAIN = 'ANYLOG-NETPOL';
export const NETPOL_QUEUE = 100;
/** The table kube-network-policies names its own nftables rules after (removed on teardown too). */
export const NETPOL_NFT_TABLE = 'kube-network-policies';

export interface NetpolInput {
  readonly bin: string;
  readonly kubeconfig: string;
}

export function netpolCommand(i: NetpolInput): Command {
  return {
    cmd: i.bin,
    args: [
      `--kubeconfig=${i.kubeconfig}`,
      `--hostname-override=${NODE_NAME}`,
      `--nfqueue-id=${NETPOL_QUEUE}`,
      // Packets queued while the controller is down pass: a crashed enforcer must not take the node's
      // pod network (and every other test on it) down with it. The e2e test proves it is running.
      '--fail-open',
      '-v=1',
    ],
  };
}

/** The iptables commands (mangle table) that set up the queue, in order (pure, for tests). */
export function queueRules(n: NodeNetwork): string[][] {
  const rules: string[][] = [
    ['-t', 'mangle', '-N', NETPOL_CHAIN],
    ['-t', 'mangle', '-I', 'FORWARD', '1', '-j', NETPOL_CHAIN],
  ];
  for (const proto of ['tcp', 'udp', 'sctp']) {
    rules.push([
      '-t',
      'mangle',
      '-A',
      NETPOL_CHAIN,
      '-s',
      n.podCidr,
      '-d',
      n.podCidr,
      '-p',
      proto,
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-j',
      'NFQUEUE',
      '--queue-num',
      String(NETPOL_QUEUE),
      '--queue-bypass',
    ]);
  }
  return rules;
}

/** Install the queue rules; fails with iptables' own message when the kernel lacks a piece. */
export function installQueue(n: NodeNetwork): void {
  removeQueue();
  for (const args of queueRules(n)) {
    try {
      execFileSync('iptables', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr ?? String(e);
      removeQueue();
      throw new Error(`iptables ${args.join(' ')}: ${stderr.trim()}`);
    }
  }
}

function tryIptables(args: readonly string[]): boolean {
  try {
    execFileSync('iptables', [...args], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Remove the queue rules and anything the controller left in nftables; safe when none exist. */
export function removeQueue(): void {
  while (tryIptables(['-t', 'mangle', '-D', 'FORWARD', '-j', NETPOL_CHAIN])) {
    /* one jump per call */
  }
  tryIptables(['-t', 'mangle', '-F', NETPOL_CHAIN]);
  tryIptables(['-t', 'mangle', '-X', NETPOL_CHAIN]);
  try {
    execFileSync('nft', ['delete', 'table', 'inet', NETPOL_NFT_TABLE], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    /* the controller removed it, or could never create it */
  }
}

/** Whether a process has bound netfilter queue `n` (the kernel lists bound queues, one a line). */
export function queueBound(n: number): boolean {
  const f = '/proc/net/netfilter/nfnetlink_queue';
  if (!existsSync(f)) return false;
  return readFileSync(f, 'utf8')
    .split('\n')
    .some((l) => l.trim().split(/\s+/)[0] === String(n));
}
