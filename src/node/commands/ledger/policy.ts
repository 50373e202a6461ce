// Policy commands: `blockchain prepare policy`, `blockchain insert` (local file and
// pushes to masters) and master-side `blockchain push [ignore]`. Ids from contract/policy-id.ts; the file
// append is one line; the file rejects duplicate ids (its id index plus appends still in flight).
import { jsonDumps } from '../../../contract/json-dumps.js';
import { isJsonObject, withKey, type JsonValue } from '../../../contract/ordered-json.js';
import {
  addIdAndDate,
  formatPolicyDate,
  makePolicy,
  policyParts,
  PolicyShapeError,
  type PolicyParts,
} from '../../../contract/policy-id.js';
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
import { STATUS } from '../../../contract/status-codes.js';
import { parsePolicy, policyText } from './shared.js';

function prepare(inv: Invocation, _ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  return Promise.resolve(prepareSync(inv, node));
}

function prepareSync(inv: Invocation, node: NodeServices): CommandResult {
  if (inv.words.length !== 4) return fail(STATUS.COMMAND_STRUCTURE);
  const arg = policyText(node, inv.words[3] ?? '', inv.rawWords[3]);
  const parsed = parsePolicy(arg.text);
  if (parsed === undefined)
    return fail(STATUS.WRONG_POLICY, `String is not representative of JSON: ${arg.text}`);
  try {
    const result = addIdAndDate(parsed, formatPolicyDate(node.clock.now()));
    if (arg.variable !== undefined) node.dict.set(arg.variable, jsonDumps(result.policy));
    return ok();
  } catch (err) {
    if (err instanceof PolicyShapeError) return fail(STATUS.WRONG_POLICY);
    throw err;
  }
}

const INSERT_SCHEMA = {
  policy: { type: 'str', required: true },
  local: { type: 'bool' },
  master: { type: 'ip.port', multiple: true },
  blockchain: { type: 'str' },
} as const;

async function pushToMaster(
  node: NodeServices,
  ctx: ExecContext,
  master: string,
  global: { readonly line: string; readonly policy: JsonValue },
): Promise<boolean> {
  const line = global.line;
  try {
    if (node.peers.isOwnAddress(master)) {
      const host = node.identity.internalIp;
      void node.ledger.push(global.policy, { host, ignoreDuplicate: false, text: line }).then(
        (r) => {
          if (r.code !== STATUS.SUCCESS) ctx.console(`Blockchain message 'push' failed: ${r.detail ?? ''}`);
        },
        (err: unknown) => {
          ctx.console(
            `Blockchain message 'push' failed: ${err instanceof Error ? err.message : String(err)}`,
          );
        },
      );
      return true;
    }
    const [reply] = await node.peers.sendCommand([master], `blockchain push ${line}`, { wait: false });
    return reply === undefined || (reply.kind !== 'unreachable' && reply.kind !== 'error');
  } catch {
    return false;
  }
}

function insertWords(inv: Invocation): { words: readonly string[]; raw: readonly string[] } {
  return { words: inv.words.slice(3), raw: inv.rawWords.slice(3) };
}

async function insert(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  if (inv.words[2] !== 'where') return fail(STATUS.COMMAND_STRUCTURE);
  const { words, raw } = insertWords(inv);
  const parsed = parseWhere(words, INSERT_SCHEMA, { command: inv.text, rawWords: raw });
  if (!parsed.ok) return parsed.result;
  const v = parsed.values;
  if (v.local === undefined && v.master === undefined && v.blockchain === undefined) {
    return fail(
      STATUS.COMMAND_STRUCTURE,
      "Missing ledger location information in 'blockchain insert' command - specify insert dest (local/master/blockchain)",
    );
  }
  if (v.blockchain !== undefined) return fail(STATUS.NOT_SUPPORTED);
  const read = readInsertPolicy(node, v.policy ?? '', raw[raw.indexOf('policy') + 2]);
  if ('code' in read) return read;
  const { value, parts } = read;
  const withId = addIdAndDate(value, formatPolicyDate(node.clock.now()));
  return insertPolicy(node, ctx, {
    type: parts.type,
    id: withId.id,
    policy: withId.policy,
    local: v.local ?? true,
    masters: v.master ?? [],
  });
}

/** Insert errors: not an object → 2; no key → 87; several keys → 87; inner not an object → 2. */
function insertShapeProblem(value: JsonValue, text: string): CommandResult | undefined {
  if (!isJsonObject(value))
    return fail(
      STATUS.COMMAND_STRUCTURE,
      `Error in 'blockchain insert': provided policy is not a json object: ${text}`,
    );
  const [first] = value.entries;
  if (first === undefined || value.entries.length > 1)
    return fail(STATUS.WRONG_POLICY, "Policy in 'blockchain insert' command has no type");
  if (!isJsonObject(first[1]))
    return fail(
      STATUS.COMMAND_STRUCTURE,
      `Error in 'blockchain insert': wrong policy '${first[0]}' structure`,
    );
  return undefined;
}

function readInsertPolicy(
  node: NodeServices,
  word: string,
  rawWord: string | undefined,
): { value: JsonValue; parts: PolicyParts } | CommandResult {
  const text = policyText(node, word, rawWord).text;
  const value = parsePolicy(text);
  const shape = insertShapeProblem(value ?? null, text);
  const parts = value === undefined ? undefined : policyParts(value);
  if (shape !== undefined || value === undefined || parts === undefined)
    return shape ?? fail(STATUS.WRONG_POLICY);
  return { value, parts };
}

interface InsertRequest {
  readonly type: string;
  readonly id: string;
  readonly policy: ReturnType<typeof makePolicy>;
  readonly local: boolean;
  readonly masters: readonly string[];
}

async function insertPolicy(
  node: NodeServices,
  ctx: ExecContext,
  req: InsertRequest,
): Promise<CommandResult> {
  const inner = policyParts(req.policy)?.inner;
  if (inner === undefined) return fail(STATUS.WRONG_POLICY);
  if (req.local) {
    const line = jsonDumps(makePolicy(req.type, withKey(inner, 'ledger', 'local')));
    if (!(await node.ledgerFile.appendNew(req.id, line))) {
      return fail(
        STATUS.DUPLICATE_ID,
        `Error in 'blockchain insert': duplicate id: '${req.id}' for policy type: '${req.type}'`,
      );
    }
  }
  const globalPolicy = makePolicy(req.type, withKey(inner, 'ledger', 'global'));
  const global = { line: jsonDumps(globalPolicy), policy: globalPolicy };
  for (const master of req.masters) {
    if (await pushToMaster(node, ctx, master, global)) continue;
    if (!req.local) return fail(STATUS.PEER_REFUSED, `Failed to create a socket using: ${master}`);
    ctx.console(`Warning: New policy '${req.type}' failed to update the Master Node at '${master}'`);
  }
  return ok();
}

async function push(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const ignore = inv.words[2] === 'ignore';
  const at = ignore ? 3 : 2;
  if (inv.words.length !== at + 1) return fail(STATUS.COMMAND_STRUCTURE);
  const text = policyText(node, inv.words[at] ?? '', inv.rawWords[at]).text;
  const value = parsePolicy(text);
  if (value === undefined) {
    // A peer's unparsable push is a failed blockchain operation on EdgeLake (30); locally it stays 6.
    const code = ctx.source === 'tcp' ? STATUS.BLOCKCHAIN_FAILED : STATUS.WRONG_JSON;
    return fail(code, `String is not representative of JSON: ${text}`);
  }
  const host = ctx.peer?.socketIp ?? node.identity.internalIp;
  return node.ledger.push(value, { host, ignoreDuplicate: ignore });
}

export const POLICY_COMMANDS: readonly CommandDef[] = [
  { key: 'blockchain prepare policy', run: prepare },
  { key: 'blockchain insert', run: insert },
  { key: 'blockchain push', peerAllowed: true, run: push },
];
