// `where` clause parsing shared by every command family.
// parseWhere(words, schema, options) turns the expanded words after `where` into typed values:
//   - pairs `key = value [and key = value …]`; a value is every word up to the next bare `and` (or the end,
//     or a terminator word chosen by the caller), joined by one space: `company = New Company`;
//   - unknown key → 2 `Unknown key '<key>' in '<command>'`; missing required → 2 `Missing key '<key>'`;
//     a key given twice without `multiple` → 2; a value of the wrong type → 2;
//   - types: str, bool (true/false any case), int (min/max), ip.port, time (seconds), enum;
//   - closed-set fallback: an enum value that is not allowed but names a dictionary variable is replaced by
//     that variable's value before validation (seed compatibility).
// Example:
//   const r = parseWhere(inv.words.slice(3), { time: { type: 'time', required: true } }, { command: inv.text });
//   if (!r.ok) return r.result;  // CommandResult with code 2 and a detail
//   r.values.time               // number (seconds)
import { fail, type CommandResult } from '../ports/command.js';
import { parseTimeValue } from './time-value.js';
import { STATUS } from '../../contract/status-codes.js';

export { parseTimeValue, formatRepeat } from './time-value.js';

export type WhereKeyType = 'str' | 'bool' | 'int' | 'ip.port' | 'time' | 'enum';

export interface WhereKeySpec {
  readonly type: WhereKeyType;
  readonly required?: boolean;
  /** The key may repeat (`dest = file and dest = dbms`, `master = …`); the value is then a list. */
  readonly multiple?: boolean;
  /** Allowed values of an `enum` key (compared case-insensitively; the listed spelling is returned). */
  readonly values?: readonly string[];
  /** Bounds of an `int` key. */
  readonly min?: number;
  readonly max?: number;
}

export type WhereSchema = Readonly<Record<string, WhereKeySpec>>;

type ValueOf<K extends WhereKeySpec> = K['type'] extends 'bool'
  ? boolean
  : K['type'] extends 'int' | 'time'
    ? number
    : string;

/** Parsed values: each key optional; `multiple` keys are arrays. */
export type WhereValues<S extends WhereSchema> = {
  -readonly [P in keyof S]?: S[P]['multiple'] extends true ? ValueOf<S[P]>[] : ValueOf<S[P]>;
};

export interface WhereOptions {
  /** Command text for the `Unknown key` detail. */
  readonly command?: string;
  /** Dictionary lookup for the closed-set fallback. */
  readonly dict?: { get(name: string): string | undefined };
  /** Raw words aligned with `words`: a raw word starting with `"` is never the separator `and`. */
  readonly rawWords?: readonly string[];
  /** A word (at a value position) that ends the clause, e.g. `task` in `schedule`. */
  readonly isTerminator?: (word: string) => boolean;
}

/** One `key = value` pair as written. */
export interface WherePair {
  readonly key: string;
  readonly value: string;
}

export type WhereSplit =
  | { readonly ok: true; readonly pairs: WherePair[]; readonly end: number }
  | { readonly ok: false; readonly result: CommandResult };

export type WhereParse<S extends WhereSchema> =
  | { readonly ok: true; readonly values: WhereValues<S>; readonly end: number }
  | { readonly ok: false; readonly result: CommandResult };

function structureError(detail: string): { ok: false; result: CommandResult } {
  return { ok: false, result: fail(STATUS.COMMAND_STRUCTURE, detail) };
}

/** Split words into `key = value` pairs without typing them. `end` is the index where parsing stopped. */
export function splitWhere(words: readonly string[], options: WhereOptions = {}): WhereSplit {
  const pairs: WherePair[] = [];
  const isTerminator = options.isTerminator ?? ((): boolean => false);
  const isSeparator = (idx: number): boolean =>
    words[idx] === 'and' && !(options.rawWords?.[idx]?.startsWith('"') ?? false);
  const valueEnd = (from: number): number => {
    let j = from;
    while (j < words.length && !isSeparator(j) && !isTerminator(words[j] ?? '')) j += 1;
    return j;
  };
  let i = 0;
  while (i < words.length && !isTerminator(words[i] ?? '')) {
    const key = words[i] ?? '';
    if (words[i + 1] !== '=') return structureError(`Missing '=' after '${key}' in where clause`);
    const end = valueEnd(i + 2);
    pairs.push({ key, value: words.slice(i + 2, end).join(' ') });
    i = isSeparator(end) ? end + 1 : end;
  }
  return { ok: true, pairs, end: i };
}

const IP_PORT_RE = /^[^\s:]+:(\d{1,5})$/;

/** Convert one value by its spec; a string result on failure is the error detail. */
function convert(
  key: string,
  value: string,
  spec: WhereKeySpec,
  options: WhereOptions,
): { value: string | number | boolean } | { error: string } {
  const converted = convertValue(value, spec, options);
  return converted === undefined
    ? { error: `Wrong value '${value}' for key '${key}'` }
    : { value: converted };
}

function convertValue(
  value: string,
  spec: WhereKeySpec,
  options: WhereOptions,
): string | number | boolean | undefined {
  switch (spec.type) {
    case 'str':
      return value;
    case 'bool':
      return parseBool(value);
    case 'int':
      return parseIntInRange(value, spec);
    case 'ip.port': {
      const port = Number(IP_PORT_RE.exec(value)?.[1] ?? NaN);
      return port >= 1 && port <= 65535 ? value : undefined;
    }
    case 'time':
      return parseTimeValue(value);
    case 'enum':
      return convertEnum(value, spec.values ?? [], options);
  }
}

/** `true`/`false` in any letter case. */
export function parseBool(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  return lower === 'true' || lower === 'false' ? lower === 'true' : undefined;
}

function parseIntInRange(value: string, spec: WhereKeySpec): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return undefined;
  return n;
}

function matchEnum(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === lower);
}

function convertEnum(value: string, allowed: readonly string[], options: WhereOptions): string | undefined {
  const direct = matchEnum(value, allowed);
  if (direct !== undefined) return direct;
  const viaVariable = options.dict?.get(value);
  return viaVariable === undefined ? undefined : matchEnum(viaVariable, allowed);
}

/** Type one pair and store it; returns an error detail on failure. */
function storePair(
  values: Record<string, unknown>,
  pair: WherePair,
  schema: WhereSchema,
  options: WhereOptions,
): string | undefined {
  const { key, value } = pair;
  const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
  if (spec === undefined) return `Unknown key '${key}' in '${options.command ?? 'where'}'`;
  const converted = convert(key, value, spec, options);
  if ('error' in converted) return converted.error;
  if (spec.multiple === true) {
    const list = (values[key] as unknown[] | undefined) ?? [];
    list.push(converted.value);
    values[key] = list;
    return undefined;
  }
  if (Object.hasOwn(values, key)) return `Duplicate key '${key}'`;
  values[key] = converted.value;
  return undefined;
}

/** Parse and type a where clause (see the module comment). */
export function parseWhere<S extends WhereSchema>(
  words: readonly string[],
  schema: S,
  options: WhereOptions = {},
): WhereParse<S> {
  const split = splitWhere(words, options);
  if (!split.ok) return split;
  const values: Record<string, unknown> = {};
  for (const { key, value } of split.pairs) {
    const problem = storePair(values, { key, value }, schema, options);
    if (problem !== undefined) return structureError(problem);
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.required === true && !Object.hasOwn(values, key)) return structureError(`Missing key '${key}'`);
  }
  return { ok: true, values: values as WhereValues<S>, end: split.end };
}

/** Index of the word `where` in a command's words, or -1. */
export function whereIndex(words: readonly string[]): number {
  return words.indexOf('where');
}
