// `blockchain get` / `blockchain read` over the local ledger file. No match
// answers `[]`, except that an assignment leaves its variable undefined, as EdgeLake does (`if not !x` still
// works); a bring that yields nothing answers `[]` and an assignment stores the empty string. Variables in a
// `{…}` search are substituted like policy text; an undefined `!var` as an
// exact-match value is EdgeLake's 240.
import {
  fail,
  ok,
  type CommandDef,
  type CommandResult,
  type ExecContext,
  type Invocation,
} from '../../ports/command.js';
import type { NodeServices } from '../../ports/runtime.js';
import { runBlockchainGet, type GetOutcome, type ParseOptions } from '../../blockchain-query/index.js';
import { parseVarRef } from '../../interpreter/expand.js';
import { substitutePolicyVariables } from '../../interpreter/policy-vars.js';
import { STATUS } from '../../../contract/status-codes.js';

/** Run a `blockchain get` given the words after `blockchain get`. */
export function queryLedger(
  node: NodeServices,
  words: readonly string[],
  options: ParseOptions = {},
): GetOutcome {
  return runBlockchainGet(
    words,
    node.ledgerFile,
    { externalIp: node.identity.externalIp, internalIp: node.identity.internalIp },
    options,
  );
}

/** Indexes of raw words that are `!name` references to undefined variables. */
function undefinedVariables(rawWords: readonly string[], node: NodeServices): Set<number> {
  const found = new Set<number>();
  rawWords.forEach((raw, i) => {
    if (raw.startsWith('!!')) return;
    const ref = parseVarRef(raw);
    if (ref?.sigil === '!' && node.dict.get(ref.name) === undefined) found.add(i);
  });
  return found;
}

async function blockchainGet(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const words = inv.words
    .slice(2)
    .map((w) => (w.startsWith('{') ? substitutePolicyVariables(w, node.dict) : w));
  const outcome = queryLedger(node, words, {
    undefinedVariables: undefinedVariables(inv.rawWords.slice(2), node),
  });
  if (!outcome.ok) return fail(outcome.code, outcome.detail);
  if (outcome.matched.length === 0)
    return ctx.assigned ? { code: STATUS.SUCCESS, text: '', noValue: true } : ok('[]');
  if (outcome.text === '') return ok(ctx.assigned ? '' : '[]');
  return Promise.resolve(ok(outcome.text));
}

export const GET_COMMANDS: readonly CommandDef[] = [
  { key: 'blockchain get', peerAllowed: true, run: blockchainGet },
  { key: 'blockchain read', peerAllowed: true, run: blockchainGet },
];
