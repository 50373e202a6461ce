// The real node's contained pod network: the address ranges (pod, Service, node IP on the pod bridge),
// the start-up check that they overlap nothing of the machine's own, the bridge, and the nftables table
// that drops every packet from the pod network to a destination outside the pod and Service ranges.
// The table lives at a priority before iptables' filter chains, so no kube-proxy rule can accept such a
// packet first. Teardown removes exactly what setup made and puts back the sysctls it changed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface NodeNetwork {
  /** Pod addresses (the CNI bridge's subnet); the node IP is its first address. */
  readonly podCidr: string;
  /** Service ClusterIPs (kube-apiserver's --service-cluster-ip-range). */
  readonly serviceCidr: string;
  /** The node's InternalIP: the bridge's own address, where apiserver, kubelet, DNS and PostgreSQL listen. */
  readonly nodeIp: string;
  readonly bridge: string;
  /** The nftables table holding the containment rules. */
  readonly nftTable: string;
}

export const DEFAULT_NETWORK: NodeNetwork = {
  podCidr: process.env['ANYLOG_POD_CIDR'] ?? '10.244.0.0/24',
  serviceCidr: process.env['ANYLOG_SERVICE_CIDR'] ?? '10.96.0.0/24',
  nodeIp: '',
  bridge: 'anylogbr0',
  nftTable: 'anylog_contain',
};

/** The network with its node IP filled in (the pod subnet's first host address). */
export function nodeNetwork(base: NodeNetwork = DEFAULT_NETWORK): NodeNetwork {
  const [net] = parseCidr(base.podCidr);
  return { ...base, nodeIp: intToIp(net + 1) };
}

/** The first ClusterIP of the Service range: the `kubernetes` Service. */
export function firstServiceIp(n: NodeNetwork): string {
  return intToIp(parseCidr(n.serviceCidr)[0] + 1);
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** [network, broadcast] of an IPv4 CIDR as integers. */
export function parseCidr(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const len = bits === undefined ? 32 : Number(bits);
  if (ip === undefined || !Number.isInteger(len) || len < 0 || len > 32) throw new Error(`bad CIDR ${cidr}`);
  const size = 2 ** (32 - len);
  const net = Math.floor(ipToInt(ip) / size) * size;
  return [net, net + size - 1];
}

/** The pod range's last host address, which no pod is given: kept for a test host on the bridge. */
export function testHostAddress(n: NodeNetwork): string {
  return intToIp(parseCidr(n.podCidr)[1] - 1);
}

/** The last address the node gives a pod (host-local's rangeEnd): the one below the test host's. */
export function lastPodAddress(n: NodeNetwork): string {
  return intToIp(parseCidr(n.podCidr)[1] - 2);
}

export function overlaps(a: string, b: string): boolean {
  const [a0, a1] = parseCidr(a);
  const [b0, b1] = parseCidr(b);
  return a0 <= b1 && b0 <= a1;
}

interface IpAddr {
  readonly ifname: string;
  readonly addr_info?: { family: string; local: string; prefixlen: number }[];
}
interface IpRoute {
  readonly dst: string;
  readonly dev?: string;
}

/**
 * Every IPv4 address and route of the machine that is not the bridge's own, as CIDRs, with where it
 * comes from. The default route is left out: it covers everything by definition.
 */
export function machineRanges(bridge: string): { cidr: string; what: string }[] {
  const out: { cidr: string; what: string }[] = [];
  const addrs = JSON.parse(execFileSync('ip', ['-j', '-4', 'addr'], { encoding: 'utf8' })) as IpAddr[];
  for (const a of addrs) {
    if (a.ifname === bridge) continue;
    for (const i of a.addr_info ?? []) {
      if (i.family === 'inet')
        out.push({ cidr: `${i.local}/${i.prefixlen}`, what: `address of ${a.ifname}` });
    }
  }
  const routes = JSON.parse(
    execFileSync('ip', ['-j', '-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }),
  ) as IpRoute[];
  for (const r of routes) {
    if (r.dst === 'default' || r.dev === bridge) continue;
    out.push({ cidr: r.dst.includes('/') ? r.dst : `${r.dst}/32`, what: `route via ${r.dev ?? '?'}` });
  }
  return out;
}

/** Refuse to start when the pod or Service range overlaps an address or route of the machine. */
export function checkRanges(n: NodeNetwork): void {
  if (overlaps(n.podCidr, n.serviceCidr)) {
    throw new Error(`pod range ${n.podCidr} overlaps Service range ${n.serviceCidr}`);
  }
  const clashes: string[] = [];
  for (const r of machineRanges(n.bridge)) {
    for (const [name, cidr] of [
      ['pod range', n.podCidr],
      ['Service range', n.serviceCidr],
    ] as const) {
      if (overlaps(cidr, r.cidr)) clashes.push(`${name} ${cidr} overlaps ${r.cidr} (${r.what})`);
    }
  }
  if (clashes.length > 0) {
    throw new Error(
      `refusing to start the local node: ${clashes.join('; ')}. Choose other ranges with ANYLOG_POD_CIDR and ANYLOG_SERVICE_CIDR.`,
    );
  }
}

/** The nftables ruleset of the containment table (pure, for the tests to compare with). */
export function containmentRules(n: NodeNetwork): string {
  const allowed = `{ ${n.podCidr}, ${n.serviceCidr} }`;
  return [
    `table inet ${n.nftTable} {`,
    // Before iptables' filter chains (priority 0), where kube-proxy's ACCEPT rules live.
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
    `    iifname "${n.bridge}" ip daddr != ${allowed} drop`,
    `    ip saddr ${n.podCidr} ip daddr != ${allowed} drop`,
    `    iifname "${n.bridge}" meta nfproto ipv6 drop`,
    '  }',
    // A pod reaches the host only at the node IP (inside the pod range): apiserver, kubelet, DNS, PostgreSQL.
    '  chain input {',
    '    type filter hook input priority -10; policy accept;',
    `    iifname "${n.bridge}" ip daddr != ${n.podCidr} drop`,
    `    iifname "${n.bridge}" meta nfproto ipv6 drop`,
    '  }',
    // Nothing from the pod range is ever rewritten to leave through another interface.
    '  chain postrouting {',
    '    type filter hook postrouting priority 200; policy accept;',
    `    ip saddr ${n.podCidr} oifname != { "${n.bridge}", "lo" } drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function sh(cmd: string, args: readonly string[], input?: string): string {
  return execFileSync(cmd, [...args], {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input === undefined ? {} : { input }),
  });
}

function trySh(cmd: string, args: readonly string[]): boolean {
  try {
    sh(cmd, args);
    return true;
  } catch {
    return false;
  }
}

const SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/bridge/bridge-nf-call-iptables',
  'net/ipv4/conf/all/route_localnet',
] as const;

export interface SavedSysctls {
  readonly [key: string]: string;
}

function readSysctl(key: string): string | undefined {
  const p = `/proc/sys/${key}`;
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined;
}

/** The sysctls that setup and the node's components change, as they are now. */
export function saveSysctls(): SavedSysctls {
  const out: Record<string, string> = {};
  for (const k of SYSCTLS) {
    const v = readSysctl(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function restoreSysctls(saved: SavedSysctls): void {
  for (const [k, v] of Object.entries(saved)) {
    try {
      if (readSysctl(k) !== v) writeFileSync(`/proc/sys/${k}`, `${v}\n`);
    } catch {
      /* read-only here: nothing to restore */
    }
  }
}

/**
 * Bridge with the node IP, the containment table, bridged traffic through iptables (kube-proxy needs
 * it for pod-to-Service-to-pod on one bridge). Must run before any pod starts.
 */
export function setupNetwork(n: NodeNetwork): void {
  if (!existsSync('/proc/sys/net/bridge')) trySh('modprobe', ['br_netfilter']);
  if (!existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) {
    throw new Error('br_netfilter is not available (no /proc/sys/net/bridge): kube-proxy cannot serve pods');
  }
  writeFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', '1\n');
  // The table first: the bridge plugin turns on forwarding as soon as the first pod starts.
  trySh('nft', ['delete', 'table', 'inet', n.nftTable]);
  sh('nft', ['-f', '-'], containmentRules(n));
  if (!trySh('ip', ['link', 'show', n.bridge])) sh('ip', ['link', 'add', n.bridge, 'type', 'bridge']);
  const prefix = n.podCidr.split('/')[1] ?? '24';
  trySh('ip', ['addr', 'add', `${n.nodeIp}/${prefix}`, 'dev', n.bridge]);
  sh('ip', ['link', 'set', n.bridge, 'up']);
  // The host reaches ClusterIPs from the node IP over the bridge; without this route it would pick its
  // outside address and send any unanswered Service address to its default gateway.
  sh('ip', ['route', 'replace', n.serviceCidr, 'dev', n.bridge, 'src', n.nodeIp]);
}

/** Remove the bridge (and its routes) and the containment table; put the sysctls back. */
export function teardownNetwork(n: NodeNetwork, saved: SavedSysctls): void {
  trySh('ip', ['link', 'delete', n.bridge]);
  restoreSysctls(saved);
  trySh('nft', ['delete', 'table', 'inet', n.nftTable]);
}
