// Node addresses: internal IP (overlay, INTERNAL_IP, POD_IP, first non-internal
// IPv4 of the host's interfaces, 127.0.0.1), external IP, and the set of the node's own addresses for
// self-detection. Pure given the interface table; never contacts the network.
import type { NetworkInterfaceInfo } from 'node:os';

export type InterfaceTable = Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>;

/** First non-internal IPv4 address in interface-name order. */
export function firstHostIpv4(interfaces: InterfaceTable): string | undefined {
  for (const name of Object.keys(interfaces).sort()) {
    for (const info of interfaces[name] ?? []) {
      if (info.family === 'IPv4' && !info.internal) return info.address;
    }
  }
  return undefined;
}

export interface AddressInputs {
  readonly overlayNetwork: boolean;
  readonly overlayIp: string | undefined;
  readonly internalIp: string | undefined;
  readonly podIp: string | undefined;
  readonly externalIp: string | undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The internal IP: the overlay IP on an overlay network, else INTERNAL_IP, else POD_IP, else the first non-loopback IPv4 address, else 127.0.0.1. */
export function deriveInternalIp(inputs: AddressInputs, interfaces: InterfaceTable): string {
  if (inputs.overlayNetwork && nonEmpty(inputs.overlayIp) !== undefined) return inputs.overlayIp ?? '';
  return nonEmpty(inputs.internalIp) ?? nonEmpty(inputs.podIp) ?? firstHostIpv4(interfaces) ?? '127.0.0.1';
}

/** Every `ip:port` string that addresses this node, for the given TCP port(s). */
export function ownAddresses(
  ips: { internalIp: string; externalIp: string; overlayIp?: string | undefined },
  ports: readonly number[],
): Set<string> {
  const hosts = ['127.0.0.1', 'localhost', '0.0.0.0', ips.internalIp, ips.externalIp];
  if (ips.overlayIp !== undefined && ips.overlayIp !== '') hosts.push(ips.overlayIp);
  const out = new Set<string>();
  for (const host of hosts) for (const port of ports) out.add(`${host}:${port}`);
  return out;
}
