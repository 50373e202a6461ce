// The condition form of a `blockchain get` where clause:
//   cond := and ("or" and)*      and := unary ("and" unary)*
//   unary := "not" unary | "( … )" | key [op value…]
// with op one of `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `with`, `contains`, `startswith`, `endswith`.
// A key alone tests that the attribute has a value. Pure; a problem is returned as its detail text
// (status 181, as EdgeLake's `if` parser answers).
import type { Condition, TestOp, WhereExpr } from './where-types.js';
import { AND_OR, parseKeyPath, withValues } from './keys.js';

const TEST_OPS: Readonly<Record<string, TestOp>> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  with: 'with',
  contains: 'contains',
  startswith: 'startswith',
  endswith: 'endswith',
};
const MAX_DEPTH = 20;

class ConditionParser {
  private pos = 0;
  constructor(
    private readonly words: readonly string[],
    private readonly split: (text: string) => string[],
    private readonly depth: number,
  ) {}

  parse(): WhereExpr | string {
    if (this.words.length === 0) return 'Failed to parse the where condition: empty condition';
    const expr = this.or();
    if (typeof expr === 'string') return expr;
    if (this.pos < this.words.length)
      return `Failed to parse the where condition near '${this.words[this.pos] ?? ''}'`;
    return expr;
  }

  private or(): WhereExpr | string {
    return this.chain('or', () => this.and());
  }

  private and(): WhereExpr | string {
    return this.chain('and', () => this.unary());
  }

  /** `operand (keyword operand)*`, grouped from the left; the first problem ends the chain. */
  private chain(keyword: 'and' | 'or', operand: () => WhereExpr | string): WhereExpr | string {
    let left = operand();
    while (typeof left !== 'string' && this.words[this.pos] === keyword) {
      this.pos += 1;
      const right = operand();
      left = typeof right === 'string' ? right : { kind: keyword, left, right };
    }
    return left;
  }

  private unary(): WhereExpr | string {
    const word = this.words[this.pos];
    if (word === undefined) return 'Failed to parse the where condition: missing test';
    this.pos += 1;
    if (word === 'not') {
      const operand = this.unary();
      return typeof operand === 'string' ? operand : { kind: 'not', operand };
    }
    if (word.startsWith('(')) {
      if (this.depth >= MAX_DEPTH) return 'Failed to parse the where condition: nested too deeply';
      const inner = word.endsWith(')') ? word.slice(1, -1) : word.slice(1);
      return new ConditionParser(this.split(inner), this.split, this.depth + 1).parse();
    }
    return this.test(word);
  }

  private test(key: string): WhereExpr | string {
    const path = parseKeyPath(key);
    if (path === undefined || AND_OR.has(key) || TEST_OPS[key] !== undefined)
      return `Failed to parse the where condition near '${key}'`;
    const next = this.words[this.pos];
    if (next === undefined || AND_OR.has(next)) return { kind: 'present', path };
    const op = TEST_OPS[next];
    if (op === undefined) return `Failed to parse the where condition: '${next}' is not a comparison`;
    this.pos += 1;
    const value = this.value();
    if (value === undefined)
      return `Failed to parse the where condition: missing or wrong value after '${next}'`;
    const cond: Condition =
      op === 'with' ? { path, op, value, values: withValues(value) } : { path, op, value };
    return { kind: 'test', cond };
  }

  /** The value words up to `and`/`or`; undefined when missing or when an operator is among them. */
  private value(): string | undefined {
    const start = this.pos;
    while (this.pos < this.words.length && !AND_OR.has(this.words[this.pos] ?? '')) {
      if (TEST_OPS[this.words[this.pos] ?? ''] !== undefined) return undefined;
      this.pos += 1;
    }
    return this.pos === start ? undefined : this.words.slice(start, this.pos).join(' ');
  }
}

/** Parse a condition-form clause; `split` turns the text inside parentheses into words. */
export function parseWhereCondition(
  words: readonly string[],
  split: (text: string) => string[],
): WhereExpr | string {
  return new ConditionParser(words, split, 0).parse();
}
