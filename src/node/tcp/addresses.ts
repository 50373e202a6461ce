// This node's own TCP addresses for self-detection, and the source
// address written into outgoing messages (internal ip:port towards local networks, else external).
import type { NodeServices } from '../ports/runtime.js';
import { parseAddress } from './connect.js';
import { isLocalNetwork } from '../../contract/local-network.js';

function ownPorts(node: NodeServices): Set<number> {
  const info = node.tcp.info();
  if (info !== undefined) return new Set([info.internalPort, info.externalPort]);
  const fallback = Number(node.env.get('ANYLOG_SERVER_PORT') ?? '');
  return Number.isInteger(fallback) && fallback > 0 ? new Set([fallback]) : new Set();
}

function ownHosts(node: NodeServices): Set<string> {
  const { internalIp, externalIp, overlayIp } = node.identity;
  const hosts = new Set(['127.0.0.1', 'localhost', '0.0.0.0', internalIp, externalIp]);
  if (overlayIp !== undefined && overlayIp !== '') hosts.add(overlayIp);
  const info = node.tcp.info();
  if (info !== undefined) {
    hosts.add(info.internalIp);
    hosts.add(info.externalIp);
  }
  return hosts;
}

/** True when `ip:port` designates this node's TCP server. */
export function isOwnAddress(node: NodeServices, destination: string): boolean {
  const address = parseAddress(destination);
  if (address === undefined) return false;
  return ownPorts(node).has(address.port) && ownHosts(node).has(address.ip);
}

/** SOURCE_IP / SOURCE_PORT for a message to `destIp`. */
export function sourceFor(node: NodeServices, destIp: string): { ip: string; port: number } {
  const info = node.tcp.info();
  const local = isLocalNetwork(destIp) || destIp === 'localhost';
  if (info !== undefined) {
    return local
      ? { ip: info.internalIp, port: info.internalPort }
      : { ip: info.externalIp, port: info.externalPort };
  }
  const port = [...ownPorts(node)][0] ?? 0;
  return { ip: local ? node.identity.internalIp : node.identity.externalIp, port };
}
