// Conditions of `if` lines, brace blocks, `wait … for` and `x = if …`.
// parseCondition is pure (tokens → AST, ConditionError on bad syntax → status 181); evaluateCondition
// resolves operands through a VarScope (dictionary and environment).
import { AppError } from '../../common/errors.js';
import { expandWord, isNumericRef, parseVarRef, type VarScope } from './expand.js';
import { tokenize, type Token } from './tokenizer.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'startswith' | 'endswith';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Token; readonly right: Token }
  | { readonly kind: 'is'; readonly operand: Token; readonly negate: boolean; readonly value: boolean }
  | { readonly kind: 'declared'; readonly operand: Token; readonly negate: boolean }
  | { readonly kind: 'value'; readonly operand: Token };

/** A condition that does not parse (status 181 `Failed to parse if condition`). */
export class ConditionError extends AppError {
  constructor(message: string) {
    super('ERR_CMD_STRUCTURE', message);
  }
}

const COMPARE_OPS: ReadonlySet<string> = new Set([
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'startswith',
  'endswith',
]);
const MAX_DEPTH = 50;

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly depth: number,
  ) {}

  parse(): Condition {
    if (this.tokens.length === 0) throw new ConditionError('empty condition');
    const cond = this.parseOr();
    if (this.pos < this.tokens.length) throw new ConditionError(`unexpected '${this.peekText() ?? ''}'`);
    return cond;
  }

  private peekText(offset = 0): string | undefined {
    return this.tokens[this.pos + offset]?.text;
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t !== undefined && (t.kind === 'word' || t.kind === 'op') && t.text.toLowerCase() === word;
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.pos += 1;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseTerm();
    while (this.isWord('and')) {
      this.pos += 1;
      left = { kind: 'and', left, right: this.parseTerm() };
    }
    return left;
  }

  private parseTerm(): Condition {
    const token = this.tokens[this.pos];
    if (token === undefined) throw new ConditionError('missing operand');
    if (this.isWord('not')) {
      this.pos += 1;
      return { kind: 'not', operand: this.parseTerm() };
    }
    if (token.kind === 'group' && token.text.startsWith('(')) {
      this.pos += 1;
      return parseConditionText(innerOfParens(token.text), this.depth + 1);
    }
    this.pos += 1;
    return this.parseTest(token);
  }

  private parseTest(operand: Token): Condition {
    const next = this.peekText();
    if (
      next !== undefined &&
      COMPARE_OPS.has(next.toLowerCase()) &&
      this.tokens[this.pos]?.kind !== 'dquoted'
    ) {
      this.pos += 1;
      const right = this.tokens[this.pos];
      if (right === undefined) throw new ConditionError(`missing operand after '${next}'`);
      this.pos += 1;
      return { kind: 'compare', op: next.toLowerCase() as CompareOp, left: operand, right };
    }
    if (this.isWord('is')) return this.parseIs(operand);
    if (this.isWord('not') && this.isWord('declared', 1)) {
      this.pos += 2;
      return { kind: 'declared', operand, negate: true };
    }
    return { kind: 'value', operand };
  }

  private parseIs(operand: Token): Condition {
    this.pos += 1;
    let negate = false;
    if (this.isWord('not')) {
      negate = true;
      this.pos += 1;
    }
    const word = this.peekText()?.toLowerCase();
    this.pos += 1;
    if (word === 'true' || word === 'false') return { kind: 'is', operand, negate, value: word === 'true' };
    if (word === 'declared') return { kind: 'declared', operand, negate };
    throw new ConditionError(`expected true, false or declared after 'is'`);
  }
}

/** Content of a `( … )` word; a missing `)` is tolerated. */
function innerOfParens(text: string): string {
  const body = text.slice(1);
  return body.endsWith(')') ? body.slice(0, -1) : body;
}

function parseConditionText(text: string, depth: number): Condition {
  if (depth > MAX_DEPTH) throw new ConditionError('condition nested too deeply');
  return new Parser(tokenize(text), depth).parse();
}

/** Parse condition text. Unbalanced leading `(` is tolerated. Throws ConditionError. */
export function parseCondition(text: string): Condition {
  return parseConditionText(text.trim(), 0);
}

// ---- evaluation ----

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Operand {
  readonly value: string;
  readonly numeric: boolean;
  readonly bareBool: boolean;
}

function resolveOperand(token: Token, scope: VarScope): Operand {
  if (token.kind === 'dquoted') return { value: token.text, numeric: false, bareBool: false };
  if (token.kind === 'quoted') return { value: token.text.slice(1, -1), numeric: false, bareBool: false };
  const value = expandWord(token.text, scope);
  const bare = parseVarRef(token.text) === undefined;
  const lower = token.text.toLowerCase();
  return {
    value,
    numeric: isNumericRef(token.text),
    bareBool: bare && (lower === 'true' || lower === 'false'),
  };
}

function isNumber(o: Operand): boolean {
  return o.value !== '' && (o.numeric || NUMBER_RE.test(o.value)) && Number.isFinite(Number(o.value));
}

function compare(op: CompareOp, a: Operand, b: Operand): boolean {
  const textual = op === 'contains' || op === 'startswith' || op === 'endswith';
  if (!textual && isNumber(a) && isNumber(b)) return compareValues(op, Number(a.value), Number(b.value));
  const fold = a.bareBool || b.bareBool;
  return compareValues(op, fold ? a.value.toLowerCase() : a.value, fold ? b.value.toLowerCase() : b.value);
}

function compareValues<T extends number | string>(op: CompareOp, x: T, y: T): boolean {
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case 'contains':
      return String(x).includes(String(y));
    case 'startswith':
      return String(x).startsWith(String(y));
    case 'endswith':
      return String(x).endsWith(String(y));
  }
}

/** Value for `is true/false`: a bare word naming a dictionary variable means that variable. */
function isOperandValue(token: Token, scope: VarScope): string {
  if (token.kind === 'word' && parseVarRef(token.text) === undefined) {
    const viaDict = scope.dict.get(token.text);
    if (viaDict !== undefined) return viaDict;
  }
  return resolveOperand(token, scope).value;
}

function isDeclared(token: Token, scope: VarScope & { has?: (name: string) => boolean }): boolean {
  const ref = parseVarRef(token.text);
  if (ref?.sigil === '$') return scope.env?.get(ref.name) !== undefined;
  const name = ref?.name ?? token.text;
  return scope.has !== undefined ? scope.has(name) : scope.dict.get(name) !== undefined;
}

/** Evaluate a parsed condition. */
export function evaluateCondition(
  cond: Condition,
  scope: VarScope & { has?: (name: string) => boolean },
): boolean {
  switch (cond.kind) {
    case 'and':
      return evaluateCondition(cond.left, scope) && evaluateCondition(cond.right, scope);
    case 'or':
      return evaluateCondition(cond.left, scope) || evaluateCondition(cond.right, scope);
    case 'not':
      return !evaluateCondition(cond.operand, scope);
    case 'compare':
      return compare(cond.op, resolveOperand(cond.left, scope), resolveOperand(cond.right, scope));
    case 'is':
      return ((isOperandValue(cond.operand, scope).toLowerCase() === 'true') === cond.value) !== cond.negate;
    case 'declared':
      return isDeclared(cond.operand, scope) !== cond.negate;
    case 'value':
      return resolveOperand(cond.operand, scope).value !== '';
  }
}
