// `get rest server info`, `get tcp pool`, `get ip list` and `get servers`: EdgeLake's status commands about the
// node's servers and the network's operators. Peers may run
// them, as every `get` status command.
import { networkInterfaces } from 'node:os';
import { fail, ok, type CommandDef, type CommandResult, type Invocation } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { parseWhere } from '../interpreter/where.js';
import { getKey } from '../../contract/ordered-json.js';
import {
  parseBlockchainGet,
  renderGet,
  runBlockchainGet,
  type Bring,
  type RenderContext,
} from '../blockchain-query/index.js';
import type { FilePolicy } from '../ports/ledger.js';
import { ipListOutput, restServerInfoOutput, tcpPoolOutput } from '../status/server-info.js';
import { STATUS } from '../../contract/status-codes.js';

function getCommand(key: string, build: (node: NodeServices, inv: Invocation) => CommandResult): CommandDef {
  return { key, peerAllowed: true, run: (inv, _ctx, node) => Promise.resolve(build(node, inv)) };
}

function exactly(inv: Invocation, count: number): CommandResult | undefined {
  return inv.words.length === count
    ? undefined
    : fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
}

// Registry keys have at most three words: `get rest server` takes the fourth word `info`.
const getRestServerInfo = getCommand('get rest server', (node, inv) => {
  const wrong =
    inv.words[3] === 'info'
      ? exactly(inv, 4)
      : fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
  if (wrong !== undefined) return wrong;
  const buffSize = Number.parseInt(node.dict.get('io_buff_size') ?? '0', 10);
  return ok(restServerInfoOutput(node.rest.info(), Number.isNaN(buffSize) ? 0 : buffSize));
});

const getTcpPool = getCommand(
  'get tcp pool',
  (node, inv) => exactly(inv, 3) ?? ok(tcpPoolOutput(node.tcp.info())),
);

const getIpList = getCommand(
  'get ip list',
  (_node, inv) => exactly(inv, 3) ?? ok(ipListOutput(networkInterfaces())),
);

const SERVER_KEYS = {
  company: { type: 'str' },
  dbms: { type: 'str' },
  table: { type: 'str' },
} as const;

type ServerFilter = { company?: string; dbms?: string; table?: string };

/** `blockchain get` words for the operators serving the filter (`*` or a missing key matches all). */
function operatorQuery(filter: ServerFilter): string[] {
  const words = ['operator'];
  for (const key of ['company', 'dbms', 'table'] as const) {
    const value = filter[key];
    if (value === undefined || value === '*') continue;
    words.push(words.length === 1 ? 'where' : 'and', key, '=', value);
  }
  return words;
}

const IP_PORT: Bring | undefined = (() => {
  const parsed = parseBlockchainGet(['operator', 'bring.ip_port']);
  return parsed.ok ? parsed.query.bring : undefined;
})();

/** The where clause between `get servers` and `bring` (or the end). */
function serverFilter(
  inv: Invocation,
  end: number,
): { ok: true; filter: ServerFilter } | { ok: false; result: CommandResult } {
  if (end === 2) return { ok: true, filter: {} };
  if (inv.words[2] !== 'where' || end < 6)
    return { ok: false, result: fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`) };
  const parsed = parseWhere(inv.words.slice(3, end), SERVER_KEYS, { command: inv.text });
  return parsed.ok ? { ok: true, filter: parsed.values } : parsed;
}

/** One line per company/database/table: the `ip:port` of each operator serving it. */
function addressLines(policies: readonly FilePolicy[], ctx: RenderContext): string {
  const lines = new Map<string, string[]>();
  for (const policy of policies) {
    const key = ['company', 'dbms', 'table']
      .map((k) => JSON.stringify(getKey(policy.inner, k) ?? ''))
      .join('.');
    const address = renderGet([policy], IP_PORT, ctx);
    if (address !== '') lines.set(key, [...(lines.get(key) ?? []), address]);
  }
  return [...lines.values()].map((addresses) => `${addresses.join(',')}\r\n`).join('');
}

/**
 * `get servers [where company = … and dbms = … and table = …] [bring …]`: the operators of the local ledger
 * serving the filter. Default output: the `ip:port` of each operator serving a table, one line per
 * company/database/table; with `bring`, the instructions applied to each matching operator policy.
 */
const getServers = getCommand('get servers', (node, inv) => {
  const bringAt = inv.words.indexOf('bring');
  if (bringAt === inv.words.length - 1)
    return fail(STATUS.COMMAND_STRUCTURE, `Missing instructions after 'bring': '${inv.text}'`);
  const selected = serverFilter(inv, bringAt < 0 ? inv.words.length : bringAt);
  if (!selected.ok) return selected.result;
  const query = operatorQuery(selected.filter);
  const ctx = { externalIp: node.identity.externalIp, internalIp: node.identity.internalIp };
  const bring = bringAt < 0 ? [] : inv.words.slice(bringAt);
  const outcome = runBlockchainGet([...query, ...bring], node.ledgerFile, ctx);
  if (!outcome.ok) return fail(outcome.code, outcome.detail);
  if (outcome.matched.length === 0) return ok('');
  return ok(bringAt < 0 ? addressLines(outcome.matched, ctx) : outcome.text);
});

export const SERVER_STATUS_COMMANDS: readonly CommandDef[] = [
  getRestServerInfo,
  getTcpPool,
  getIpList,
  getServers,
];
