// `run tcp server` and `run rest server` (docs/design/node-runtime.md §4.2): where-clause parsing, defaults (internal
// and external addresses default to each other, then to the node's internal IP), then the TCP/REST ports.
import { fail, OK, type CommandDef, type CommandResult, type Invocation } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import type { ServerAddress } from '../ports/network.js';
import { parseWhere, type WhereKeySpec } from '../interpreter/where.js';
import { errorResult } from './util.js';
import { STATUS } from '../../contract/status-codes.js';

const ADDRESS_KEYS = {
  external_ip: { type: 'str' },
  external_port: { type: 'int', min: 1, max: 65535 },
  internal_ip: { type: 'str' },
  internal_port: { type: 'int', min: 1, max: 65535 },
  bind: { type: 'bool' },
  threads: { type: 'int', min: 1, max: 100 },
} as const satisfies Record<string, WhereKeySpec>;

const REST_KEYS = {
  ...ADDRESS_KEYS,
  timeout: { type: 'int', min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  ssl: { type: 'bool' },
  ca_org: { type: 'str' },
  server_org: { type: 'str' },
} as const satisfies Record<string, WhereKeySpec>;

interface AddressValues {
  external_ip?: string;
  external_port?: number;
  internal_ip?: string;
  internal_port?: number;
  bind?: boolean;
  threads?: number;
}

/** Resolve defaults; undefined when no port was given. */
export function resolveAddress(
  v: AddressValues,
  node: NodeServices,
  defaultThreads: number,
): ServerAddress | undefined {
  const externalPort = v.external_port ?? v.internal_port;
  const internalPort = v.internal_port ?? v.external_port;
  if (externalPort === undefined || internalPort === undefined) return undefined;
  const externalIp = v.external_ip ?? v.internal_ip ?? node.identity.internalIp;
  const internalIp = v.internal_ip ?? v.external_ip ?? node.identity.internalIp;
  return {
    externalIp,
    externalPort,
    internalIp,
    internalPort,
    bind: v.bind ?? false,
    threads: v.threads ?? defaultThreads,
  };
}

function whereWords(inv: Invocation): readonly string[] | undefined {
  return inv.words.length >= 6 && inv.words[3] === 'where' ? inv.words.slice(4) : undefined;
}

const runTcpServer: CommandDef = {
  key: 'run tcp server',
  async run(inv, _ctx, node): Promise<CommandResult> {
    const words = whereWords(inv);
    if (words === undefined) return fail(STATUS.COMMAND_STRUCTURE, `Wrong command format: '${inv.text}'`);
    const parsed = parseWhere(words, ADDRESS_KEYS, { command: inv.text });
    if (!parsed.ok) return parsed.result;
    const address = resolveAddress(parsed.values, node, 6);
    if (address === undefined)
      return fail(STATUS.COMMAND_STRUCTURE, 'Missing port in TCP Server server configuration');
    // EdgeLake answers a second TCP server with 81 `Connection Error` (docs/design/node-runtime.md §4.2)
    if (node.tcp.info() !== undefined) return fail(STATUS.CONNECTION_ERROR, 'TCP server is already running');
    try {
      await node.tcp.start(address);
      return OK;
    } catch (error) {
      return errorResult(error, STATUS.NETWORK_ERROR);
    }
  },
};

const runRestServer: CommandDef = {
  key: 'run rest server',
  async run(inv, _ctx, node): Promise<CommandResult> {
    const words = whereWords(inv);
    if (words === undefined) return fail(STATUS.COMMAND_STRUCTURE, `Wrong command format: '${inv.text}'`);
    const parsed = parseWhere(words, REST_KEYS, { command: inv.text });
    if (!parsed.ok) return parsed.result;
    const v = parsed.values;
    if (v.ssl === true) return fail(STATUS.NOT_SUPPORTED, 'SSL is not supported by anylog-node');
    if (v.ca_org !== undefined || v.server_org !== undefined)
      return fail(STATUS.COMMAND_STRUCTURE, "'ca_org' and 'server_org' require 'ssl = true'");
    const address = resolveAddress(v, node, 5);
    if (address === undefined)
      return fail(STATUS.COMMAND_STRUCTURE, 'Missing port in REST Server server configuration');
    if (node.rest.info() !== undefined) return fail(STATUS.ALREADY_ACTIVE, 'REST server is already running');
    try {
      await node.rest.start({ ...address, timeoutSeconds: Math.max(0, v.timeout ?? 20) });
      return OK;
    } catch (error) {
      return errorResult(error, STATUS.NETWORK_ERROR);
    }
  },
};

export const SERVER_COMMANDS: readonly CommandDef[] = [runTcpServer, runRestServer];
