// Removing policies: master-side `blockchain drop policy` (by ids, by a
// `blockchain get` id list, or by a policy's id), any-node `blockchain delete policy`, plus
// `blockchain reload metadata` and `blockchain wait`.
import { getKey, withoutKey } from '../../../contract/ordered-json.js';
import { md5Hex, policyHashString, policyParts } from '../../../contract/policy-id.js';
import { pythonStr } from '../../../contract/python-repr.js';
import {
  fail,
  ok,
  type CommandDef,
  type CommandResult,
  type ExecContext,
  type Invocation,
} from '../../ports/command.js';
import type { NodeServices } from '../../ports/runtime.js';
import { parseWhere } from '../../interpreter/where.js';
import { BLOCKCHAIN, ledgerFailure, notConnected, parsePolicy, policyText } from './shared.js';
import { queryLedger } from './get.js';
import { STATUS } from '../../../contract/status-codes.js';

async function deleteIds(node: NodeServices, ids: readonly string[]): Promise<CommandResult> {
  const store = node.dbms.get(BLOCKCHAIN);
  if (store === undefined) return notConnected();
  const deleted: string[] = [];
  try {
    for (const id of ids) {
      if ((await store.deleteById(id)) !== 1) {
        await node.ledgerFile.removeIds(deleted);
        return fail(STATUS.DELETE_WRONG_KEY, `Policy '${id}' not in ledger`);
      }
      deleted.push(id);
    }
  } catch (err) {
    await node.ledgerFile.removeIds(deleted);
    return ledgerFailure(err, STATUS.DELETE_WRONG_KEY);
  }
  await node.ledgerFile.removeIds(deleted);
  return ok();
}

function idsFromWhere(node: NodeServices, inv: Invocation): string[] | CommandResult {
  const w = inv.words;
  if (w[4] !== 'id' || w[5] !== '=') return fail(STATUS.COMMAND_STRUCTURE);
  const rest = w.slice(6);
  // EdgeLake runs the nested query only when it has a where clause; without one its words are taken as ids
  if (rest[0] === 'blockchain' && rest[1] === 'get' && rest.includes('where')) {
    const outcome = queryLedger(node, rest.slice(2));
    if (!outcome.ok) return fail(outcome.code, outcome.detail);
    if (outcome.matched.length === 0)
      return fail(STATUS.POLICY_NOT_IN_FILE, `No policies satisfying the criteria: ${rest.join(' ')}`);
    return outcome.text
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  const ids = rest
    .join('')
    .split(',')
    .filter((s) => s !== '');
  return ids.length === 0
    ? fail(STATUS.POLICY_NOT_IN_FILE, `No policies satisfying the criteria: ${inv.text}`)
    : ids;
}

async function dropPolicy(inv: Invocation, _ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  if (inv.words[3] === 'where') {
    const ids = idsFromWhere(node, inv);
    return Array.isArray(ids) ? deleteIds(node, ids) : ids;
  }
  if (inv.words.length !== 4) return fail(STATUS.COMMAND_STRUCTURE);
  const text = policyText(node, inv.words[3] ?? '', inv.rawWords[3]).text;
  const value = parsePolicy(text);
  if (value === undefined) return fail(STATUS.WRONG_JSON, `String is not representative of JSON: ${text}`);
  if (Array.isArray(value))
    return fail(STATUS.COMMAND_STRUCTURE, 'Drop of several policies is not supported');
  const parts = policyParts(value);
  if (parts === undefined) return fail(STATUS.WRONG_POLICY);
  const id = getKey(parts.inner, 'id');
  const base = withoutKey(withoutKey(parts.inner, 'date'), 'ledger');
  return deleteIds(node, [id === undefined ? md5Hex(policyHashString(parts.type, base)) : pythonStr(id)]);
}

const DELETE_SCHEMA = {
  id: { type: 'str', required: true },
  local: { type: 'bool' },
  master: { type: 'ip.port', multiple: true },
} as const;

async function deletePolicy(inv: Invocation, _ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  if (inv.words[3] !== 'where') return fail(STATUS.COMMAND_STRUCTURE);
  const parsed = parseWhere(inv.words.slice(4), DELETE_SCHEMA, { command: inv.text });
  if (!parsed.ok) return parsed.result;
  const v = parsed.values;
  if (v.local === undefined && v.master === undefined) {
    return fail(
      STATUS.COMMAND_STRUCTURE,
      "Missing ledger location information in 'blockchain delete' command",
    );
  }
  const id = v.id ?? '';
  if (!node.ledgerFile.hasId(id))
    return fail(
      STATUS.POLICY_NOT_AVAILABLE,
      `Error in 'blockchain delete': policy id: '${id}' not available`,
    );
  if (v.local ?? true) await node.ledgerFile.removeIds([id]);
  for (const master of v.master ?? []) {
    node.peers
      .sendCommand([master], `blockchain drop policy where id = ${id}`, { wait: false })
      .catch((err: unknown) => {
        node.logger.warn(
          { master, err: err instanceof Error ? err.message : String(err) },
          'drop policy not delivered',
        );
      });
  }
  if (!node.sync.status().running)
    return fail(
      STATUS.PROCESS_FAILURE,
      'Failed to trigger sync process after policy delete: synchronizer not active',
    );
  void node.sync.runOnce();
  return ok();
}

function waitCheck(node: NodeServices, inv: Invocation): (() => boolean) | CommandResult {
  const w = inv.words;
  const key = w[3];
  if (w[2] !== 'where' || w[4] !== '=') return fail(STATUS.COMMAND_STRUCTURE);
  if (key === 'id') return () => node.ledgerFile.hasId(w.slice(5).join(' '));
  if (key === 'policy') {
    const value = parsePolicy(policyText(node, w[5] ?? '', inv.rawWords[5]).text);
    const parts = value === undefined ? undefined : policyParts(value);
    const id = parts === undefined ? undefined : getKey(parts.inner, 'id');
    if (id === undefined) return fail(STATUS.WRONG_POLICY);
    return () => node.ledgerFile.hasId(pythonStr(id));
  }
  if (key === 'command') {
    const words = w.slice(5).join(' ').split(/\s+/);
    return () => {
      const outcome = queryLedger(node, words.slice(2));
      return outcome.ok && outcome.matched.length > 0;
    };
  }
  return fail(STATUS.COMMAND_STRUCTURE);
}

async function blockchainWait(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const check = waitCheck(node, inv);
  if (typeof check !== 'function') return check;
  await node.sync.runOnce();
  const limitMs = ((node.sync.status().settings?.intervalSeconds ?? 0) + 15) * 1000;
  const deadline = node.clock.now() + limitMs;
  for (;;) {
    if (check()) return ok(ctx.assigned ? 'true' : undefined);
    if (node.clock.now() >= deadline) return ctx.assigned ? ok('false') : fail(STATUS.POLICY_NOT_IN_FILE);
    await node.clock.sleep(Math.min(5000, Math.max(1, deadline - node.clock.now())), ctx.signal);
  }
}

async function reloadMetadata(
  _inv: Invocation,
  _ctx: ExecContext,
  node: NodeServices,
): Promise<CommandResult> {
  await node.ledgerFile.reload();
  return ok();
}

export const DROP_COMMANDS: readonly CommandDef[] = [
  { key: 'blockchain drop policy', peerAllowed: true, run: dropPolicy },
  { key: 'blockchain delete policy', run: deletePolicy },
  { key: 'blockchain reload metadata', run: reloadMetadata },
  { key: 'blockchain wait', run: blockchainWait },
];
