// Parser of `blockchain get <types> [where …] [bring[.flags] [instructions] [separator = <sep>]]`
// (docs/design/node-runtime.md §4.6) over the expanded words after `blockchain get`. Pure and total: every word list
// gives a query or a code-2 problem, never an exception (fuzz-tested).

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
const OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);

export interface Condition {
  readonly path: readonly string[];
  readonly op: Op;
  readonly value: string;
}

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
  readonly conditions: readonly Condition[];
  readonly bring: Bring | undefined;
}

export type ParseResult =
  { readonly ok: true; readonly query: GetQuery } | { readonly ok: false; readonly detail: string };

function problem(detail: string): ParseResult {
  return { ok: false, detail };
}

const isBringWord = (w: string): boolean => w === 'bring' || w.startsWith('bring.');

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

/** `name`, `a[b]`, `[a][b]` → path elements; undefined when malformed. */
export function parseKeyPath(key: string): string[] | undefined {
  const m = /^([^[\]]*)((?:\[[^[\]]*\])*)$/.exec(key);
  if (m === null) return undefined;
  const head = m[1] ?? '';
  const rest = [...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? '');
  const path = head === '' ? rest : [head, ...rest];
  return path.length === 0 || path.some((p) => p === '') ? undefined : path;
}

interface Cursor {
  i: number;
}

function readValue(words: readonly string[], from: number): { words: string[]; end: number } | string {
  let j = from;
  const valueWords: string[] = [];
  while (j < words.length && words[j] !== 'and' && !isBringWord(words[j] ?? '')) {
    const w = words[j] ?? '';
    if (OPS.has(w) || w === 'or' || w === '==') return `Unsupported where condition near '${w}'`;
    valueWords.push(w);
    j += 1;
  }
  return { words: valueWords, end: j };
}

function parseCondition(words: readonly string[], at: Cursor): Condition | string {
  const key = words[at.i] ?? '';
  if (key === '' || isBringWord(key)) return 'Missing condition after where';
  const path = parseKeyPath(key);
  if (path === undefined || key === 'or' || key.startsWith('(')) return `Wrong condition key: '${key}'`;
  const op = words[at.i + 1] ?? '';
  if (!OPS.has(op)) return `Wrong operator in where condition: '${op}'`;
  const value = readValue(words, at.i + 2);
  if (typeof value === 'string') return value;
  if (value.words.length === 0) return `Missing value for '${key}'`;
  at.i = value.end;
  return { path, op: op as Op, value: value.words.join(' ') };
}

function parseConditions(words: readonly string[], at: Cursor): Condition[] | string {
  const conditions: Condition[] = [];
  for (;;) {
    const cond = parseCondition(words, at);
    if (typeof cond === 'string') return cond;
    conditions.push(cond);
    if (words[at.i] !== 'and') return conditions;
    at.i += 1;
  }
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

function parseBring(words: readonly string[], at: Cursor): Bring | string {
  const [, ...flagWords] = (words[at.i] ?? 'bring').split('.');
  const flags = new Set<BringFlag>();
  for (const f of flagWords) {
    if (!(BRING_FLAGS as readonly string[]).includes(f)) return `Unrecognized 'bring' directive: '${f}'`;
    flags.add(f as BringFlag);
  }
  const instructions: Instruction[] = [];
  let separator: string | undefined;
  let i = at.i + 1;
  while (i < words.length) {
    const w = words[i] ?? '';
    if (w === 'separator' && words[i + 1] === '=') {
      separator = literalText(words.slice(i + 2).join(' '));
      i = words.length;
      break;
    }
    instructions.push(parseInstruction(w));
    i += 1;
  }
  at.i = i;
  return { flags, instructions, separator };
}

/** Parse the words after `blockchain get`. */
export function parseBlockchainGet(words: readonly string[]): ParseResult {
  const types = parseTypes(words[0]);
  if (types === null) return problem('Missing policy type in blockchain get');
  const at: Cursor = { i: 1 };
  let conditions: Condition[] = [];
  if (words[at.i] === 'where') {
    at.i += 1;
    const parsed = parseConditions(words, at);
    if (typeof parsed === 'string') return problem(parsed);
    conditions = parsed;
  }
  let bring: Bring | undefined;
  if (at.i < words.length) {
    if (!isBringWord(words[at.i] ?? ''))
      return problem(`Unexpected word in blockchain get: '${words[at.i] ?? ''}'`);
    const parsed = parseBring(words, at);
    if (typeof parsed === 'string') return problem(parsed);
    bring = parsed;
  }
  return { ok: true, query: { types, conditions, bring } };
}
