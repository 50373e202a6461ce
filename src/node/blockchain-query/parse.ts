// Parser of `blockchain get <types> [where … | {json}] [bring[.flags] [instructions] [separator = <sep>]]`
// over the expanded words after `blockchain get`. Pure and total: every
// word list gives a query or a coded problem, never an exception (fuzz-tested).
//
// A where clause has EdgeLake's two forms. The pair form `key = value [and key with value …]` is an
// exact-match search; any other first test (`>`, `contains`, a bare key, `( … )`, `not`) makes the whole
// clause a condition with `and`, `or`, `not` and parentheses. Keys are policy attributes in both forms.
import {
  isJsonArray,
  isJsonObject,
  tryParseOrderedJson,
  type JsonValue,
} from '../../contract/ordered-json.js';
import { pythonStr } from '../../contract/python-repr.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';
import { tokenize } from '../interpreter/tokenizer.js';
import { AND_OR, isBringWord, parseKeyPath, withValues } from './keys.js';
import { parseWhereCondition } from './where-condition.js';
import type { Condition, WhereExpr } from './where-types.js';

export type { Op, TestOp, Condition, WhereExpr } from './where-types.js';

export { parseKeyPath } from './keys.js';

const OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);

export type Instruction =
  | { readonly kind: 'attr'; readonly alternatives: readonly (readonly string[])[] }
  | { readonly kind: 'literal'; readonly text: string };

export const BRING_FLAGS = [
  'first',
  'last',
  'recent',
  'unique',
  'json',
  'count',
  'ip_port',
  'table',
  'null',
  'sort',
  'min',
  'max',
  'list',
  'children',
] as const;
export type BringFlag = (typeof BRING_FLAGS)[number];

export interface Bring {
  readonly flags: ReadonlySet<BringFlag>;
  readonly instructions: readonly Instruction[];
  readonly separator: string | undefined;
}

export interface GetQuery {
  /** undefined = every type (`*`). */
  readonly types: readonly string[] | undefined;
  /** Pair-form tests (all must hold); empty with a condition-form clause. */
  readonly conditions: readonly Condition[];
  /** The condition-form clause, when the where clause is not in the pair form. */
  readonly where?: WhereExpr;
  readonly bring: Bring | undefined;
}

export interface ParseOptions {
  /** Indexes (into the words) of `!name` words whose variable is undefined: an exact-match value → 240. */
  readonly undefinedVariables?: ReadonlySet<number>;
}

export type ParseResult =
  | { readonly ok: true; readonly query: GetQuery }
  | { readonly ok: false; readonly code: StatusCode; readonly detail: string };

/** Status codes of a failed parse. */
const STRUCTURE = STATUS.COMMAND_STRUCTURE;
const IF_PARSE = STATUS.IF_PARSE;
const JSON_SEARCH_KEY = STATUS.JSON_SEARCH_KEY;

function problem(detail: string, code: StatusCode = STRUCTURE): ParseResult {
  return { ok: false, code, detail };
}

function parseTypes(word: string | undefined): readonly string[] | undefined | null {
  if (word === undefined || word === '' || isBringWord(word) || word === 'where') return null;
  if (word === '*') return undefined;
  if (word.startsWith('(')) {
    if (!word.endsWith(')')) return null;
    const list = word
      .slice(1, -1)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (list.length === 0) return null;
    return list.includes('*') ? undefined : list;
  }
  return [word];
}

type PairScan =
  | { readonly kind: 'pairs'; readonly conditions: Condition[] }
  | { readonly kind: 'condition' }
  | { readonly kind: 'error'; readonly code: StatusCode; readonly detail: string };

type PairStep = { readonly cond: Condition; readonly end: number } | PairScan;

/** End of a pair's value from `j`: the next `and`/`or`; `condition` or `error` when the pair form ends. */
function pairValueEnd(
  clause: readonly string[],
  j0: number,
  from: number,
  options: ParseOptions,
): number | PairScan {
  let j = j0;
  for (; j < clause.length && !AND_OR.has(clause[j] ?? ''); j += 1) {
    const w = clause[j] ?? '';
    if (OPS.has(w) || w === '==' || w === 'with') return { kind: 'condition' };
    if (options.undefinedVariables?.has(from + j) === true) {
      const detail = 'Error in JSON search key: an undefined variable as a value';
      return { kind: 'error', code: JSON_SEARCH_KEY, detail };
    }
  }
  return j === j0 ? { kind: 'condition' } : j;
}

/** One `key (=|with) value…` at `i`, the value running to the next `and`/`or`. */
function scanPair(clause: readonly string[], i: number, from: number, options: ParseOptions): PairStep {
  const key = clause[i] ?? '';
  const op = clause[i + 1];
  const path = parseKeyPath(key);
  if ((op !== '=' && op !== 'with') || path === undefined || AND_OR.has(key)) return { kind: 'condition' };
  const end = pairValueEnd(clause, i + 2, from, options);
  if (typeof end !== 'number') return end;
  const value = clause.slice(i + 2, end).join(' ');
  const cond: Condition =
    op === 'with' ? { path, op, value, values: withValues(value) } : { path, op, value };
  return { cond, end };
}

/** Try the pair form over `clause` (words `from`… of the command); `condition` when it does not apply. */
function scanPairs(clause: readonly string[], from: number, options: ParseOptions): PairScan {
  const conditions: Condition[] = [];
  let i = 0;
  for (;;) {
    const step = scanPair(clause, i, from, options);
    if (!('cond' in step)) return step;
    conditions.push(step.cond);
    const j = step.end;
    if (j >= clause.length) return { kind: 'pairs', conditions };
    // EdgeLake reads a word after the pairs as the bring word: `or` there is an unknown bring directive.
    if (clause[j] === 'or')
      return { kind: 'error', code: STRUCTURE, detail: `Unrecognized 'bring' directive: 'or'` };
    if (j + 1 >= clause.length)
      return { kind: 'error', code: STRUCTURE, detail: `Missing condition after 'and'` };
    i = j + 1;
  }
}

/** `{"key": value, …}` after the types: exact-match tests; unparsable → 240. */
function jsonSearch(word: string): Condition[] | undefined {
  const parsed: JsonValue | undefined = tryParseOrderedJson(word);
  if (parsed === undefined || !isJsonObject(parsed) || parsed.entries.length === 0) return undefined;
  const conditions: Condition[] = [];
  for (const [key, v] of parsed.entries) {
    const path = parseKeyPath(key);
    if (path === undefined) return undefined;
    if (isJsonArray(v)) {
      const value = pythonStr(v);
      conditions.push({ path, op: 'with', value, values: v.map((e) => pythonStr(e)) });
    } else conditions.push({ path, op: '=', value: pythonStr(v) });
  }
  return conditions;
}

const ATTR_RE = /^(?:\[[^[\]]*\])+(?::(?:\[[^[\]]*\])+)*$/;

function literalText(word: string): string {
  const unquoted = word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
  return unquoted.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

function parseInstruction(word: string): Instruction {
  if (!ATTR_RE.test(word)) return { kind: 'literal', text: literalText(word) };
  const alternatives = word
    .split(/(?<=\]):(?=\[)/)
    .map((alt) => [...alt.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? ''));
  return { kind: 'attr', alternatives };
}

function parseBring(words: readonly string[], at: number): Bring | ParseResult {
  const [, ...flagWords] = (words[at] ?? 'bring').split('.');
  const flags = new Set<BringFlag>();
  for (const f of flagWords) {
    if (!(BRING_FLAGS as readonly string[]).includes(f))
      return problem(`Unrecognized 'bring' directive: '${f}'`);
    flags.add(f as BringFlag);
  }
  const instructions: Instruction[] = [];
  let separator: string | undefined;
  for (let i = at + 1; i < words.length; i += 1) {
    const w = words[i] ?? '';
    if (words[i + 1] === '=') {
      // Words after the instructions are `key = value` options, of which only `separator` exists.
      if (w !== 'separator') return problem(`Unknown key '${w}' after 'bring'`);
      separator = literalText(words.slice(i + 2).join(' '));
      break;
    }
    instructions.push(parseInstruction(w));
  }
  if (flags.size === 0 && instructions.length === 0)
    return problem("Missing Info after 'bring' directive in 'blockchain get' command");
  return { flags, instructions, separator };
}

type WherePart = { conditions: Condition[]; where?: WhereExpr; next: number } | ParseResult;

function parseWherePart(words: readonly string[], options: ParseOptions): WherePart {
  if (words[1] !== undefined && words[1].startsWith('{')) {
    const conditions = jsonSearch(words[1]);
    if (conditions === undefined) return problem(`Error in JSON search key: '${words[1]}'`, JSON_SEARCH_KEY);
    return { conditions, next: 2 };
  }
  if (words[1] !== 'where') return { conditions: [], next: 1 };
  let end = 2;
  while (end < words.length && !isBringWord(words[end] ?? '')) end += 1;
  const clause = words.slice(2, end);
  if (clause.length === 0) return problem('Missing condition after where');
  const pairs = scanPairs(clause, 2, options);
  if (pairs.kind === 'error') return problem(pairs.detail, pairs.code);
  if (pairs.kind === 'pairs') return { conditions: pairs.conditions, next: end };
  const where = parseWhereCondition(clause, (text) => tokenize(text).map((t) => t.text));
  if (typeof where === 'string') return problem(where, IF_PARSE);
  return { conditions: [], where, next: end };
}

/** Parse the words after `blockchain get`. */
export function parseBlockchainGet(words: readonly string[], options: ParseOptions = {}): ParseResult {
  const types = parseTypes(words[0]);
  if (types === null) return problem('Missing policy type in blockchain get');
  const part = parseWherePart(words, options);
  if ('ok' in part) return part;
  let bring: Bring | undefined;
  if (part.next < words.length) {
    const word = words[part.next] ?? '';
    if (!isBringWord(word)) return problem(`Unexpected word in blockchain get: '${word}'`);
    const parsed = parseBring(words, part.next);
    if ('ok' in parsed) return parsed;
    bring = parsed;
  }
  const query: GetQuery =
    part.where === undefined
      ? { types, conditions: part.conditions, bring }
      : { types, conditions: part.conditions, where: part.where, bring };
  return { ok: true, query };
}
