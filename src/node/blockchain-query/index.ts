// The pure `blockchain get` engine (docs/design/node-runtime.md §4.6): parse the words after `blockchain get`, select
// policies from the local ledger file's indexes, render the output. Used by the `blockchain get/read`
// commands, destination lists (`run client (blockchain get …)`), `blockchain wait` and policy drops.
import type { FilePolicy } from '../ports/ledger.js';
import { parseBlockchainGet, type GetQuery } from './parse.js';
import { selectPolicies, type PolicySource } from './evaluate.js';
import { renderGet, type RenderContext } from './render.js';

export type GetOutcome =
  | { readonly ok: true; readonly matched: readonly FilePolicy[]; readonly text: string }
  | { readonly ok: false; readonly code: number; readonly detail: string };

/** Run a `blockchain get` over `source`; no match gives matched = [] and text `[]`. Never throws on input. */
export function runBlockchainGet(
  words: readonly string[],
  source: PolicySource,
  ctx: RenderContext,
): GetOutcome {
  const parsed = parseBlockchainGet(words);
  if (!parsed.ok) return { ok: false, code: 2, detail: parsed.detail };
  return executeQuery(parsed.query, source, ctx);
}

export function executeQuery(query: GetQuery, source: PolicySource, ctx: RenderContext): GetOutcome {
  const matched = selectPolicies(source, query);
  if (matched.length === 0) return { ok: true, matched, text: '[]' };
  const render = (): string => renderGet(matched, query.bring, ctx);
  // The whole list of some types (the largest output) is kept until the ledger changes.
  const whole = query.bring === undefined && query.conditions.length === 0;
  const key = `list\u0000${(query.types ?? ['*']).join('\u0000')}`;
  const text = whole && source.memo !== undefined ? source.memo(key, render) : render();
  return { ok: true, matched, text };
}

export { parseBlockchainGet, type GetQuery, type Condition, type Bring, type Instruction } from './parse.js';
export { selectPolicies, matchesAll, lookupPath, type PolicySource } from './evaluate.js';
export { renderGet, type RenderContext } from './render.js';
export { isLocalNetwork } from '../local-network.js';
export { renderTable } from './table.js';
