// Tokenizer of AnyLog command lines: splits one logical line into words.
// Pure and total: every input string gives a token list, never an exception (fuzz-tested).
// Operators are separate words outside quotes and brackets; quoted strings and bracket groups are single
// words. Used by the interpreter, the condition parser and the `where` parser.

export type TokenKind =
  /** A plain word (may be expanded when it starts with `!` or `$`). */
  | 'word'
  /** A `"…"` string; `text` is the content without the quotes; never expanded. */
  | 'dquoted'
  /** A `'…'` or `` `…` `` string; `text` keeps the quotes; never expanded. */
  | 'quoted'
  /** A word starting with `(`, `{` or `[` (JSON, destination lists, pull instructions); not expanded. */
  | 'group'
  /** One of `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `+`. */
  | 'op';

export interface Token {
  readonly kind: TokenKind;
  /** The word's value: quotes removed for `dquoted`, otherwise as written. */
  readonly text: string;
  /** The word exactly as written (with its double quotes). */
  readonly raw: string;
}

const OPERATORS = ['==', '!=', '<=', '>=', '=', '<', '>', '+'] as const;
const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '{': '}', '[': ']' };

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

/** The operator starting at `i`, if any. */
function operatorAt(line: string, i: number): string | undefined {
  const ch = line[i];
  if (ch !== '=' && ch !== '<' && ch !== '>' && ch !== '+' && ch !== '!') return undefined;
  const two = line.slice(i, i + 2);
  for (const op of OPERATORS) {
    if (op.length === 2 && two === op) return op;
  }
  return ch === '!' ? undefined : ch;
}

/** Index just after the quote closing the one at `start` (end of line when unterminated). */
export function skipQuoted(line: string, start: number): number {
  const quote = line[start] ?? '"';
  const close = line.indexOf(quote, start + 1);
  return close < 0 ? line.length : close + 1;
}

/**
 * Index just after the bracket matching the one at `start`, respecting nesting and `"…"` strings.
 * An unbalanced group runs to the end of the line.
 */
export function skipGroup(line: string, start: number): number {
  const stack: string[] = [];
  let i = start;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === '"') {
      i = skipQuoted(line, i);
      continue;
    }
    const closer = CLOSERS[ch];
    if (closer !== undefined) stack.push(closer);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
    i += 1;
  }
  return line.length;
}

/** Index just after a plain word starting at `start` (stops at whitespace and operators). */
function skipWord(line: string, start: number): number {
  let i = start;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (isSpace(ch)) break;
    if (i > start && operatorAt(line, i) !== undefined) break;
    if (CLOSERS[ch] !== undefined) i = skipGroup(line, i);
    else if (ch === '"') i = skipQuoted(line, i);
    else i += 1;
  }
  return i;
}

/** Split a logical line into words. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (isSpace(ch)) {
      i += 1;
      continue;
    }
    const op = operatorAt(line, i);
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, raw: op });
      i += op.length;
      continue;
    }
    let end: number;
    let kind: TokenKind;
    if (ch === '"' || ch === "'" || ch === '`') {
      end = skipQuoted(line, i);
      kind = ch === '"' ? 'dquoted' : 'quoted';
    } else {
      end = skipWord(line, i);
      kind = CLOSERS[ch] !== undefined ? 'group' : 'word';
    }
    const raw = line.slice(i, end);
    tokens.push({ kind, raw, text: kind === 'dquoted' ? unquoteDouble(raw) : raw });
    i = end;
  }
  return tokens;
}

function unquoteDouble(raw: string): string {
  const body = raw.slice(1);
  return body.endsWith('"') ? body.slice(0, -1) : body;
}

/** The raw words of a line (for messages and quick checks). */
export function rawWords(line: string): string[] {
  return tokenize(line).map((t) => t.raw);
}
