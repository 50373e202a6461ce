// Types of a parsed `blockchain get` where clause: the tests of the pair form
// and the expression of the condition form. Shared by the two parsers and the evaluator.

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type TestOp = Op | 'with' | 'contains' | 'startswith' | 'endswith';

export interface Condition {
  readonly path: readonly string[];
  readonly op: TestOp;
  /** The value as written (`with`: its list text). */
  readonly value: string;
  /** `with` only: the accepted values. */
  readonly values?: readonly string[];
}

/** A condition-form where clause. */
export type WhereExpr =
  | { readonly kind: 'and' | 'or'; readonly left: WhereExpr; readonly right: WhereExpr }
  | { readonly kind: 'not'; readonly operand: WhereExpr }
  | { readonly kind: 'test'; readonly cond: Condition }
  /** A bare key: the attribute is present, not null and not empty. */
  | { readonly kind: 'present'; readonly path: readonly string[] };
