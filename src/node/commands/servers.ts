// `run tcp server` and `run rest server`: where-clause parsing, defaults (internal
// and external addresses default to each other, then to the node's internal IP), then the TCP/REST ports.
// `ssl = true` names the REST server's PEM files in the pem directory by AnyLog's convention.
import { join } from 'node:path';
import { fail, OK, type CommandDef, type CommandResult, type Invocation } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import type { RestTlsFiles, ServerAddress } from '../ports/network.js';
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

/** AnyLog's file key of an organization: trimmed, lower case, spaces as '-', quotes dropped. */
function orgFileKey(org: string): string {
  return org.trim().toLowerCase().replaceAll(' ', '-').replaceAll("'", '');
}

/** The PEM files of `run rest server … ssl = true` in the dictionary's `pem_dir`. */
export function restTlsFiles(pemDir: string, caOrg: string, serverOrg: string): RestTlsFiles {
  const server = orgFileKey(serverOrg);
  return {
    certFile: join(pemDir, `server-${server}-public-key.crt`),
    keyFile: join(pemDir, `server-${server}-private-key.key`),
    caFile: join(pemDir, `ca-${orgFileKey(caOrg)}-public-key.crt`),
  };
}

/** The TLS files of `ssl = true`, undefined without SSL, or the error of an inconsistent where clause. */
function sslOption(
  v: { ssl?: boolean; ca_org?: string; server_org?: string },
  node: NodeServices,
): RestTlsFiles | CommandResult | undefined {
  if (v.ssl !== true) {
    if (v.ca_org !== undefined || v.server_org !== undefined)
      return fail(STATUS.COMMAND_STRUCTURE, "'ca_org' and 'server_org' require 'ssl = true'");
    return undefined;
  }
  if (v.ca_org === undefined || v.server_org === undefined)
    return fail(STATUS.COMMAND_STRUCTURE, "'ssl = true' requires 'ca_org' and 'server_org'");
  const pemDir = node.dict.get('pem_dir') ?? node.dirs['pem_dir'];
  if (pemDir === undefined) return fail(STATUS.COMMAND_STRUCTURE, "'pem_dir' is not set");
  return restTlsFiles(pemDir, v.ca_org, v.server_org);
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
    // EdgeLake answers a second TCP server with 81 `Connection Error`
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
    const tls = sslOption(v, node);
    if (tls !== undefined && 'code' in tls) return tls;
    const address = resolveAddress(v, node, 5);
    if (address === undefined)
      return fail(STATUS.COMMAND_STRUCTURE, 'Missing port in REST Server server configuration');
    if (node.rest.info() !== undefined) return fail(STATUS.ALREADY_ACTIVE, 'REST server is already running');
    try {
      await node.rest.start({
        ...address,
        timeoutSeconds: Math.max(0, v.timeout ?? 20),
        ...(tls === undefined ? {} : { tls }),
      });
      return OK;
    } catch (error) {
      return errorResult(error, STATUS.NETWORK_ERROR);
    }
  },
};

export const SERVER_COMMANDS: readonly CommandDef[] = [runTcpServer, runRestServer];
