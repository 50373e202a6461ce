// `blockchain get` / `blockchain read` (docs/design/node-runtime.md §4.6) over the local ledger file. No match answers
// `[]`, except that an assignment leaves its variable undefined, as EdgeLake (`if not !x` still works).
import {
  fail,
  ok,
  type CommandDef,
  type CommandResult,
  type ExecContext,
  type Invocation,
} from '../../ports/command.js';
import type { NodeServices } from '../../ports/runtime.js';
import { runBlockchainGet, type GetOutcome } from '../../blockchain-query/index.js';

/** Run a `blockchain get` given the words after `blockchain get`. */
export function queryLedger(node: NodeServices, words: readonly string[]): GetOutcome {
  return runBlockchainGet(words, node.ledgerFile, {
    externalIp: node.identity.externalIp,
    internalIp: node.identity.internalIp,
  });
}

async function blockchainGet(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const outcome = queryLedger(node, inv.words.slice(2));
  if (!outcome.ok) return fail(outcome.code, outcome.detail);
  if (outcome.matched.length === 0) return ctx.assigned ? { code: 0, text: '', noValue: true } : ok('[]');
  return Promise.resolve(ok(outcome.text));
}

export const GET_COMMANDS: readonly CommandDef[] = [
  { key: 'blockchain get', peerAllowed: true, run: blockchainGet },
  { key: 'blockchain read', peerAllowed: true, run: blockchainGet },
];
