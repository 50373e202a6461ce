// Selection of `blockchain get` (docs/design/node-runtime.md §4.6): candidate policies from the ledger file's indexes
// (by type, by attribute value), then every `where` condition with EdgeLake's comparison rules: numeric
// when both sides are numbers, `*` matches anything, lists match by any element, strings case-insensitive.
import {
  getKey,
  isJsonArray,
  isJsonFloat,
  isJsonObject,
  type JsonValue,
} from '../../contract/ordered-json.js';
import { pythonStr } from '../../contract/python-repr.js';
import type { FilePolicy } from '../ports/ledger.js';
import type { Condition, GetQuery } from './parse.js';

/** What the engine reads: the local ledger file (LedgerFile satisfies it). */
export interface PolicySource {
  policies(): readonly FilePolicy[];
  byType(type: string): readonly FilePolicy[];
  candidates(type: string, key: string, value: string): readonly FilePolicy[];
  /**
   * Optional memo for texts derived from the whole content (e.g. the `blockchain get <type>` list): the
   * value of `compute`, kept under `key` until the content changes.
   */
  memo?(key: string, compute: () => string): string;
}

/** The value at `path` inside a policy (path relative to the inner object; a leading type or `*` is skipped). */
export function lookupPath(policy: FilePolicy, path: readonly string[]): JsonValue | undefined {
  let elements = path;
  const first = path[0];
  if (
    path.length > 1 &&
    (first === '*' || first === policy.type) &&
    getKey(policy.inner, first) === undefined
  ) {
    elements = path.slice(1);
  }
  let current: JsonValue | undefined = policy.inner;
  for (const key of elements) {
    if (!isJsonObject(current)) return undefined;
    current = getKey(current, key);
  }
  return current;
}

function asNumber(value: JsonValue): number | undefined {
  if (typeof value === 'bigint') return Number(value);
  if (isJsonFloat(value)) return value.value;
  return undefined;
}

function compareOrdered(a: number | string, b: number | string, op: Condition['op']): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function matchValue(value: JsonValue, cond: Condition): boolean {
  if (isJsonArray(value)) return value.some((v) => matchValue(v, cond));
  if (value === '*') return true;
  const n = asNumber(value);
  const given = cond.value.trim();
  if (n !== undefined && given !== '' && !Number.isNaN(Number(given)))
    return compareOrdered(n, Number(given), cond.op);
  const text = typeof value === 'boolean' ? String(value) : pythonStr(value);
  return compareOrdered(text.toLowerCase(), cond.value.toLowerCase(), cond.op);
}

export function matchesAll(policy: FilePolicy, conditions: readonly Condition[]): boolean {
  for (const cond of conditions) {
    const value = lookupPath(policy, cond.path);
    if (value === undefined || !matchValue(value, cond)) return false;
  }
  return true;
}

function candidatesOfType(
  source: PolicySource,
  type: string,
  conditions: readonly Condition[],
): readonly FilePolicy[] {
  const indexed = conditions.find((c) => c.op === '=' && c.path.length === 1);
  const key = indexed?.path[0];
  if (indexed === undefined || key === undefined) return source.byType(type);
  return source.candidates(type, key, indexed.value);
}

function candidates(source: PolicySource, query: GetQuery): readonly FilePolicy[] {
  if (query.types === undefined) return source.policies();
  const unique = [...new Set(query.types)];
  if (unique.length === 1) return candidatesOfType(source, unique[0] ?? '', query.conditions);
  return unique.flatMap((t) => candidatesOfType(source, t, query.conditions)).sort((a, b) => a.seq - b.seq);
}

function findOne(pool: readonly FilePolicy[], conditions: readonly Condition[], last: boolean): FilePolicy[] {
  const step = last ? -1 : 1;
  for (let i = last ? pool.length - 1 : 0; i >= 0 && i < pool.length; i += step) {
    const p = pool[i];
    if (p !== undefined && matchesAll(p, conditions)) return [p];
  }
  return [];
}

/** Matching policies in file order; with first/last only that one is searched for. */
export function selectPolicies(source: PolicySource, query: GetQuery): readonly FilePolicy[] {
  const pool = candidates(source, query);
  const flags = query.bring?.flags ?? new Set();
  if (flags.has('last') || flags.has('recent')) return findOne(pool, query.conditions, true);
  if (flags.has('first')) return findOne(pool, query.conditions, false);
  if (query.conditions.length === 0) return pool;
  return pool.filter((p) => matchesAll(p, query.conditions));
}
