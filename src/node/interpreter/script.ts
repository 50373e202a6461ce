// Script structure: logical lines classified into commands, labels and brace-block
// headers, with each header linked to its next branch and its closing `}`. Pure; syntax errors (unclosed
// block, stray `}`, duplicate label, unterminated `<` block) are reported with their line before any line runs.
import { toLogicalLines } from './lines.js';

export type Statement =
  | { readonly kind: 'command'; readonly text: string; readonly line: number }
  | { readonly kind: 'label'; readonly name: string; readonly line: number }
  | BranchHeader
  | { readonly kind: 'close'; readonly line: number };

export interface BranchHeader {
  readonly kind: 'if' | 'elseif' | 'else';
  /** Condition text (empty for `else`). */
  readonly cond: string;
  readonly line: number;
  /** Index of the next branch header of the same block, or of its closing `}`. */
  next: number;
  /** Index of the block's closing `}`. */
  end: number;
}

export interface Program {
  readonly name: string;
  readonly statements: readonly Statement[];
  readonly labels: ReadonlyMap<string, number>;
}

export type ProgramResult =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly line: number; readonly message: string };

const LABEL_RE = /^:([^:\s]+):$/;

/** Classify a brace-block line; undefined for any other line. */
export function classifyBrace(
  text: string,
  line: number,
): BranchHeader | { readonly kind: 'close'; readonly line: number } | undefined {
  if (text === '}') return { kind: 'close', line };
  if (!text.endsWith('{')) return undefined;
  if (/^\}\s*else\s*\{$/i.test(text)) return { kind: 'else', cond: '', line, next: -1, end: -1 };
  const elseIf = /^\}\s*else\s+if(?=[\s(])(.*)\{$/is.exec(text);
  if (elseIf !== null && !hasThen(elseIf[1] ?? '')) {
    return { kind: 'elseif', cond: (elseIf[1] ?? '').trim(), line, next: -1, end: -1 };
  }
  const ifMatch = /^if(?=[\s(])(.*)\{$/is.exec(text);
  if (ifMatch !== null && !hasThen(ifMatch[1] ?? '')) {
    return { kind: 'if', cond: (ifMatch[1] ?? '').trim(), line, next: -1, end: -1 };
  }
  return undefined;
}

function hasThen(text: string): boolean {
  return /(^|\s)then(\s|$)/.test(text.replace(/"[^"]*"/g, '""'));
}

interface OpenBlock {
  readonly headers: BranchHeader[];
}

type Problem = { line: number; message: string } | undefined;

/** Attach an else / else-if / close statement to the innermost open block. */
function attach(
  stack: OpenBlock[],
  st: BranchHeader | { kind: 'close'; line: number },
  idx: number,
): Problem {
  const block = stack[stack.length - 1];
  if (block === undefined) return { line: st.line, message: `'}' without an open block` };
  const last = block.headers[block.headers.length - 1];
  if (last?.kind === 'else' && st.kind !== 'close') return { line: st.line, message: "branch after 'else'" };
  if (last !== undefined) last.next = idx;
  if (st.kind === 'close') {
    for (const h of block.headers) h.end = idx;
    stack.pop();
  } else {
    block.headers.push(st);
  }
  return undefined;
}

/** Link headers of blocks; returns an error message and line on bad nesting. */
function linkBlocks(statements: Statement[]): Problem {
  const stack: OpenBlock[] = [];
  for (let idx = 0; idx < statements.length; idx += 1) {
    const st = statements[idx];
    if (st === undefined || st.kind === 'command' || st.kind === 'label') continue;
    if (st.kind === 'if') {
      stack.push({ headers: [st] });
      continue;
    }
    const problem = attach(stack, st, idx);
    if (problem !== undefined) return problem;
  }
  const unclosed = stack[stack.length - 1]?.headers[0];
  return unclosed === undefined ? undefined : { line: unclosed.line, message: 'Block not closed with }' };
}

/** Load script text into a Program. */
export function parseProgram(source: string, name: string, prompts = true): ProgramResult {
  const { lines, error } = toLogicalLines(source, prompts);
  if (error !== undefined) return { ok: false, ...error };
  const statements: Statement[] = [];
  const labels = new Map<string, number>();
  for (const { text, line } of lines) {
    const label = LABEL_RE.exec(text);
    if (label?.[1] !== undefined) {
      if (labels.has(label[1])) return { ok: false, line, message: `Duplicate label '${label[1]}'` };
      labels.set(label[1], statements.length);
      statements.push({ kind: 'label', name: label[1], line });
      continue;
    }
    statements.push(classifyBrace(text, line) ?? { kind: 'command', text, line });
  }
  const problem = linkBlocks(statements);
  if (problem !== undefined) return { ok: false, ...problem };
  return { ok: true, program: { name, statements, labels } };
}

/**
 * Brace-block structure of a stream of logical lines (a REST POST body): the 0-based index and message
 * of the first problem (stray `}`, branch after `else`, block left open), or undefined when it is balanced.
 */
export function blockStructureError(
  texts: readonly string[],
): { readonly index: number; readonly message: string } | undefined {
  const statements = texts.map(
    (text, index): Statement => classifyBrace(text, index) ?? { kind: 'command', text, line: index },
  );
  const problem = linkBlocks(statements);
  return problem === undefined ? undefined : { index: problem.line, message: problem.message };
}
