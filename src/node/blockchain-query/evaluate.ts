// Selection of `blockchain get`: candidate policies from the ledger file's indexes
// (by type, by attribute value), then the `where` tests with EdgeLake's comparison rules: numeric when
// both sides are numbers, `*` matches anything, lists match by any element, strings case-insensitive;
// `with` accepts any of its values; `contains`/`startswith`/`endswith` compare text.
import {
  getKey,
  isJsonArray,
  isJsonFloat,
  isJsonObject,
  type JsonValue,
} from '../../contract/ordered-json.js';
import { pythonStr } from '../../contract/python-repr.js';
import type { FilePolicy } from '../ports/ledger.js';
import type { Condition, GetQuery, Op, WhereExpr } from './parse.js';

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

function compareOrdered(a: number | string, b: number | string, op: Op): boolean {
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

function valueText(value: JsonValue): string {
  return typeof value === 'boolean' ? String(value) : pythonStr(value);
}

function matchOne(value: JsonValue, op: Op, given: string): boolean {
  if (value === '*') return true;
  const n = asNumber(value);
  const trimmed = given.trim();
  if (n !== undefined && trimmed !== '' && !Number.isNaN(Number(trimmed)))
    return compareOrdered(n, Number(trimmed), op);
  return compareOrdered(valueText(value).toLowerCase(), given.toLowerCase(), op);
}

function matchText(value: JsonValue, cond: Condition): boolean {
  const text = valueText(value).toLowerCase();
  const given = cond.value.toLowerCase();
  if (cond.op === 'contains') return text.includes(given);
  if (cond.op === 'startswith') return text.startsWith(given);
  return text.endsWith(given);
}

function matchValue(value: JsonValue, cond: Condition): boolean {
  if (isJsonArray(value)) return value.some((v) => matchValue(v, cond));
  const op = cond.op;
  if (op === 'with') return (cond.values ?? [cond.value]).some((v) => matchOne(value, '=', v));
  if (op === 'contains' || op === 'startswith' || op === 'endswith')
    return value !== null && matchText(value, cond);
  return matchOne(value, op, cond.value);
}

export function matchesAll(policy: FilePolicy, conditions: readonly Condition[]): boolean {
  for (const cond of conditions) {
    const value = lookupPath(policy, cond.path);
    if (value === undefined || !matchValue(value, cond)) return false;
  }
  return true;
}

/** A value counts as present unless missing, null or the empty string (EdgeLake's truth of `[key]`). */
export function hasValue(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

export function matchesWhere(policy: FilePolicy, expr: WhereExpr): boolean {
  switch (expr.kind) {
    case 'and':
      return matchesWhere(policy, expr.left) && matchesWhere(policy, expr.right);
    case 'or':
      return matchesWhere(policy, expr.left) || matchesWhere(policy, expr.right);
    case 'not':
      return !matchesWhere(policy, expr.operand);
    case 'present':
      return hasValue(lookupPath(policy, expr.path));
    case 'test':
      return matchesAll(policy, [expr.cond]);
  }
}

function matches(policy: FilePolicy, query: GetQuery): boolean {
  return (
    matchesAll(policy, query.conditions) && (query.where === undefined || matchesWhere(policy, query.where))
  );
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

function findOne(pool: readonly FilePolicy[], query: GetQuery, last: boolean): FilePolicy[] {
  const step = last ? -1 : 1;
  for (let i = last ? pool.length - 1 : 0; i >= 0 && i < pool.length; i += step) {
    const p = pool[i];
    if (p !== undefined && matches(p, query)) return [p];
  }
  return [];
}

/** Matching policies in file order; with first/last only that one is searched for. */
export function selectPolicies(source: PolicySource, query: GetQuery): readonly FilePolicy[] {
  const pool = candidates(source, query);
  const flags = query.bring?.flags ?? new Set();
  if (flags.has('last') || flags.has('recent')) return findOne(pool, query, true);
  if (flags.has('first')) return findOne(pool, query, false);
  if (query.conditions.length === 0 && query.where === undefined) return pool;
  return pool.filter((p) => matches(p, query));
}
