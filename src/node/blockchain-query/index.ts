// The pure `blockchain get` engine: parse the words after `blockchain get`, select
// policies from the local ledger file's indexes, render the output. Used by the `blockchain get/read`
// commands, destination lists (`run client (blockchain get …)`), `blockchain wait` and policy drops.
// An empty `text` with matches means the bring produced nothing; the commands answer `[]` for it.
import type { FilePolicy } from '../ports/ledger.js';
import { getKey, isJsonArray, type JsonValue } from '../../contract/ordered-json.js';
import { pythonStr } from '../../contract/python-repr.js';
import { parseBlockchainGet, type GetQuery, type ParseOptions } from './parse.js';
import { selectPolicies, type PolicySource } from './evaluate.js';
import { renderGet, type RenderContext } from './render.js';

export type GetOutcome =
  | { readonly ok: true; readonly matched: readonly FilePolicy[]; readonly text: string }
  | { readonly ok: false; readonly code: StatusCode; readonly detail: string };

/** Run a `blockchain get` over `source`; no match gives matched = [] and text `[]`. Never throws on input. */
export function runBlockchainGet(
  words: readonly string[],
  source: PolicySource,
  ctx: RenderContext,
  options: ParseOptions = {},
): GetOutcome {
  const parsed = parseBlockchainGet(words, options);
  if (!parsed.ok) return { ok: false, code: parsed.code, detail: parsed.detail };
  return executeQuery(parsed.query, source, ctx);
}

/** `.children`: the policies whose `parent` (a value or a list) names the id of a selected policy. */
function childrenOf(parents: readonly FilePolicy[], source: PolicySource): readonly FilePolicy[] {
  const ids = new Set(
    parents.flatMap((p) => {
      const id = getKey(p.inner, 'id');
      return id === undefined ? [] : [pythonStr(id)];
    }),
  );
  return source.policies().filter((p) => {
    const parent = getKey(p.inner, 'parent');
    if (parent === undefined || parent === null) return false;
    const refs: readonly JsonValue[] = isJsonArray(parent) ? parent : [parent];
    return refs.some((r) => r !== null && ids.has(pythonStr(r)));
  });
}

export function executeQuery(query: GetQuery, source: PolicySource, ctx: RenderContext): GetOutcome {
  const selected = selectPolicies(source, query);
  const matched = query.bring?.flags.has('children') === true ? childrenOf(selected, source) : selected;
  if (matched.length === 0) return { ok: true, matched, text: '[]' };
  const render = (): string => renderGet(matched, query.bring, ctx);
  // The whole list of some types (the largest output) is kept until the ledger changes.
  const whole = query.bring === undefined && query.conditions.length === 0 && query.where === undefined;
  const key = `list\u0000${(query.types ?? ['*']).join('\u0000')}`;
  const text = whole && source.memo !== undefined ? source.memo(key, render) : render();
  return { ok: true, matched, text };
}

export {
  parseBlockchainGet,
  type GetQuery,
  type Condition,
  type Bring,
  type Instruction,
  type ParseOptions,
  type WhereExpr,
} from './parse.js';
import { type StatusCode } from '../../contract/status-codes.js';
export { selectPolicies, matchesAll, matchesWhere, lookupPath, type PolicySource } from './evaluate.js';
export { renderGet, type RenderContext } from './render.js';
export { isLocalNetwork } from '../../contract/local-network.js';
export { renderTable } from './table.js';
