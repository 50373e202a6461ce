// `run blockchain sync` and the peer-only `event get_blockchain`.
import {
  fail,
  ok,
  type CommandDef,
  type CommandResult,
  type ExecContext,
  type Invocation,
} from '../../ports/command.js';
import type { NodeServices, SyncSettings } from '../../ports/runtime.js';
import { parseWhere, type WhereValues } from '../../interpreter/where.js';
import { BLOCKCHAIN } from './shared.js';
import { queryLedger } from './get.js';
import { STATUS } from '../../../contract/status-codes.js';

const SYNC_SCHEMA = {
  source: { type: 'enum', required: true, values: ['master', 'blockchain', 'dbms'] },
  time: { type: 'time', required: true },
  dest: { type: 'enum', required: true, multiple: true, values: ['file', 'dbms'] },
  connection: { type: 'ip.port' },
  file: { type: 'str' },
  trace: { type: 'bool' },
} as const;

function masterAddress(node: NodeServices): string | undefined {
  const outcome = queryLedger(node, ['master', 'bring.ip_port']);
  if (!outcome.ok || outcome.matched.length === 0) return undefined;
  const first = outcome.text.split(',')[0];
  return first === undefined || first === '' ? undefined : first;
}

async function dbmsDestReady(node: NodeServices): Promise<boolean> {
  const store = node.dbms.get(BLOCKCHAIN);
  if (store === undefined) return false;
  try {
    return await store.tableExists();
  } catch {
    return false;
  }
}

async function runSync(inv: Invocation, _ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  if (inv.words.length === 3) {
    if (!node.sync.status().running) return fail(STATUS.SYNC_NOT_RUNNING);
    await node.sync.runOnce();
    return ok();
  }
  if (inv.words[3] !== 'where') return fail(STATUS.COMMAND_STRUCTURE);
  if (node.sync.status().running) return fail(STATUS.ALREADY_ACTIVE);
  return startSync(inv, node);
}

async function startSync(inv: Invocation, node: NodeServices): Promise<CommandResult> {
  const parsed = parseWhere(inv.words.slice(4), SYNC_SCHEMA, {
    command: inv.text,
    dict: node.dict,
    rawWords: inv.rawWords.slice(4),
  });
  if (!parsed.ok) return parsed.result;
  const v = parsed.values;
  if (v.source !== 'master')
    return fail(STATUS.NOT_SUPPORTED, `Sync source '${v.source ?? ''}' is not supported`);
  if ((v.time ?? 0) < 1) return fail(STATUS.COMMAND_STRUCTURE, 'Sync time must be at least 1 second');
  return startWith(node, v);
}

async function startWith(node: NodeServices, v: WhereValues<typeof SYNC_SCHEMA>): Promise<CommandResult> {
  const dest = (v.dest ?? []) as ('file' | 'dbms')[];
  if (dest.includes('dbms') && !(await dbmsDestReady(node))) return fail(STATUS.TABLE_NOT_LOCAL);
  const connection = v.connection ?? masterAddress(node);
  if (connection === undefined) return fail(STATUS.NO_DESTINATION);
  const settings: SyncSettings = {
    source: 'master',
    intervalSeconds: v.time ?? 30,
    dest,
    connection,
    trace: v.trace ?? false,
  };
  await node.sync.start(settings);
  return ok();
}

async function eventGetBlockchain(
  inv: Invocation,
  ctx: ExecContext,
  node: NodeServices,
): Promise<CommandResult> {
  const peer = ctx.peer;
  if (peer === undefined)
    return fail(STATUS.COMMAND_STRUCTURE, 'event get_blockchain is accepted only from peers');
  return node.sync.serve({ args: inv.words.slice(2), requester: `${peer.ip}:${peer.port}` });
}

export const SYNC_COMMANDS: readonly CommandDef[] = [
  { key: 'run blockchain sync', run: runSync },
  { key: 'event get_blockchain', peerAllowed: true, run: eventGetBlockchain },
];
