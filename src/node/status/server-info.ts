// Outputs of `get rest server info`, `get tcp pool` and `get ip list` in
// EdgeLake's layouts, filled with this node's state. Pure renderers over snapshots.
import type { RestServerInfo, ServerAddress } from '../ports/network.js';
import { renderTable } from './table.js';

/** Python's str() of the REST server settings EdgeLake lists, in its attribute (alphabetical) order. */
function restAttributes(rest: RestServerInfo | undefined, buffSize: number): [string, string][] {
  const pyBool = (v: boolean): string => (v ? 'True' : 'False');
  if (rest === undefined) {
    return [
      ['buff_size', '0'],
      ['ca_public_key', 'None'],
      ['connection', ''],
      ['is_bind', 'True'],
      ['is_ssl', 'False'],
      ['lib_open_ssl', 'False'],
      ['node_cr', 'None'],
      ['node_private_key', 'None'],
      ['server', 'None'],
      ['streaming_log', 'False'],
      ['timeout', '0'],
      ['trace', 'False'],
      ['workers_count', '0'],
      ['workers_pool', 'None'],
    ];
  }
  // A running server's socket and worker pool are objects, which EdgeLake leaves out of the list. With SSL
  // EdgeLake keeps the PEM file paths (never their content).
  const tls = rest.tls;
  return [
    ['buff_size', String(buffSize)],
    ['ca_public_key', tls?.caFile ?? 'None'],
    [
      'connection',
      `${tls === undefined ? 'http' : 'https'}://${rest.bind ? rest.internalIp : ''}:${rest.internalPort}`,
    ],
    ['is_bind', pyBool(rest.bind)],
    ['is_ssl', pyBool(tls !== undefined)],
    ['lib_open_ssl', 'False'],
    ['node_cr', tls?.certFile ?? 'None'],
    ['node_private_key', tls?.keyFile ?? 'None'],
    ['streaming_log', 'False'],
    ['timeout', String(rest.timeoutSeconds)],
    ['trace', 'False'],
    ['workers_count', String(rest.threads)],
  ];
}

/** `get rest server info`: titles Attribute and Value, each value between two spaces. */
export function restServerInfoOutput(rest: RestServerInfo | undefined, buffSize: number): string {
  return renderTable({
    titles: ['Attribute', 'Value'],
    rows: restAttributes(rest, buffSize).map(([name, value]) => [name, ` ${value} `]),
  });
}

/** `get tcp pool`: one line, the pool's summary padded to 60 characters, then each worker's state (0 = idle). */
export function tcpPoolOutput(tcp: ServerAddress | undefined): string {
  if (tcp === undefined) return 'Tcp Pool is not declared';
  const states = Array.from({ length: tcp.threads }, () => '0').join(', ');
  return `${`TCP Pool with ${tcp.threads} threads:`.padEnd(60)}[${states}]`;
}

export interface InterfaceAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly address: string;
  readonly scopeid?: number;
}

/** `get ip list`: IPv4 addresses per interface, then IPv6 ones; link-local IPv6 carry `%<interface>`. */
export function ipListOutput(
  interfaces: Readonly<Record<string, readonly InterfaceAddress[] | undefined>>,
): string {
  const rows: string[][] = [];
  for (const family of ['IPv4', 'IPv6'] as const) {
    for (const [name, addresses] of Object.entries(interfaces)) {
      for (const a of addresses ?? []) {
        if (a.family !== family) continue;
        const scoped = family === 'IPv6' && a.scopeid !== undefined && a.scopeid !== 0;
        rows.push([family, name, scoped ? `${a.address}%${name}` : a.address]);
      }
    }
  }
  return renderTable({ titles: ['Family', 'Interface', 'Address'], rows });
}
