// One command line through the interpreter: `!var` printing,
// assignments (`x = …`, `set x = …`, `$X = …`, `x = if …`, `x = a + b`), one-line `if`/`do`/`else`,
// script control statements (as control codes ≥ 1000) and registry dispatch with the peer allowlist.
import { fail, ok, type CommandResult, type ExecContext, type Session } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { statusText, STATUS, type StatusCode } from '../../contract/status-codes.js';
import { ConditionError, evaluateCondition, parseCondition } from './conditions.js';
import { CONTROL } from '../../contract/status-codes.js';
import { expandToken, expandWord, type VarScope } from './expand.js';
import type { CommandRegistry } from './registry.js';
import { maskSecrets } from './secrets.js';
import { tokenize, type Token } from './tokenizer.js';
import { BoundedMemo } from '../../common/bounded-memo.js';

export type { BlockFrame, Session } from '../ports/command.js';

const VAR_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Tokens of recently run lines: tokenizing is a pure function of the text, and commands repeat (REST
 * pollers, scheduled tasks, TCP peers). 256 lines of at most 1 KiB; the arrays are frozen and shared.
 */
const LINES = new BoundedMemo((text: string): readonly Token[] => Object.freeze(tokenize(text)), 256, 1024);
/** First words of the statements simpleControl() decides. */
const CONTROL_WORDS = new Set(['goto', 'call', 'return', 'end', 'exit', 'on']);
/** Words that start a one-line `if` statement or continue one. */
const FLOW_WORDS = new Set(['if', 'do', 'else']);

export function scopeOf(node: NodeServices): VarScope & { has: (name: string) => boolean } {
  return { dict: node.dict, env: node.env, has: (name) => node.dict.has(name) };
}

/** Evaluate condition text; 181 on a parse failure. */
export function evaluateText(text: string, node: NodeServices): boolean | CommandResult {
  try {
    return evaluateCondition(parseCondition(text), scopeOf(node));
  } catch (error) {
    if (error instanceof ConditionError)
      return fail(STATUS.IF_PARSE, `Failed to parse if condition: ${text}`);
    throw error;
  }
}

function joinRaw(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).join(' ');
}

export class StatementRunner {
  constructor(private readonly registry: CommandRegistry) {}

  /** Execute one logical line. Control statements return codes ≥ 1000 (detail = label). */
  async run(text: string, ctx: ExecContext, node: NodeServices, session: Session): Promise<CommandResult> {
    const tokens = LINES.get(text);
    if (tokens.length === 0) return ok();
    if (ctx.source === 'tcp') return this.dispatch(tokens, ctx, node);
    const first = tokens[0];
    if (tokens.length === 1 && first?.kind === 'word' && first.text.startsWith('!')) {
      return ok(expandWord(first.text, scopeOf(node)));
    }
    const assignment = this.assignmentTarget(tokens);
    if (assignment !== undefined)
      return this.assign(assignment.name, tokens.slice(assignment.valueAt), ctx, node);
    if (FLOW_WORDS.has(first?.text ?? '')) return this.flow(tokens, ctx, node, session);
    // goto, call, return, on error … are decided at once; a command line goes straight to dispatch
    return simpleControl(tokens, node) ?? this.dispatch(tokens, ctx, node);
  }

  /** `name = …`, `$NAME = …`, `set name = value` (exactly four words). */
  private assignmentTarget(tokens: readonly Token[]): { name: string; valueAt: number } | undefined {
    const [a, b, c] = tokens;
    if (a === undefined || b === undefined) return undefined;
    if (a.kind === 'word' && a.text === 'set' && isEquals(c) && isTarget(b) && tokens.length <= 4) {
      return { name: b.text, valueAt: 3 };
    }
    return isEquals(b) && isTarget(a) ? { name: a.text, valueAt: 2 } : undefined;
  }

  private storeResult(name: string, result: CommandResult, node: NodeServices): CommandResult {
    if (result.noValue !== true) return this.store(name, result.text ?? '', node);
    if (name.startsWith('$')) node.env.set(name.slice(1), '');
    else node.dict.delete(name);
    return ok();
  }

  private store(name: string, value: string, node: NodeServices): CommandResult {
    if (name.startsWith('$')) node.env.set(name.slice(1), value);
    else node.dict.set(name, value);
    return ok();
  }

  private async assign(
    name: string,
    rest: readonly Token[],
    ctx: ExecContext,
    node: NodeServices,
  ): Promise<CommandResult> {
    const [first] = rest;
    if (first === undefined) return this.store(name, '', node);
    if (first.kind === 'word' && first.text === 'if' && rest.length > 1) {
      const value = evaluateText(joinRaw(rest.slice(1)), node);
      return typeof value === 'boolean' ? this.store(name, value ? 'True' : 'False', node) : value;
    }
    if (first.kind === 'word' && this.isCommandStart(rest)) {
      const result = await this.dispatch(rest, { ...ctx, assigned: true }, node);
      return result.code === STATUS.SUCCESS ? this.storeResult(name, result, node) : result;
    }
    return this.store(name, assignedValue(rest, scopeOf(node)), node);
  }

  /** Raw words after `=` start a known command. */
  private isCommandStart(rest: readonly Token[]): boolean {
    const word = rest[0]?.text ?? '';
    if (!this.registry.knowsFirstWord(word)) return false;
    return rest.length > 1 || this.registry.has(word);
  }

  /** One-line `if`, and `do` / `else` after it. */
  private async flow(
    tokens: readonly Token[],
    ctx: ExecContext,
    node: NodeServices,
    session: Session,
  ): Promise<CommandResult> {
    const w0 = tokens[0]?.text;
    if (w0 === 'if') return this.oneLineIf(tokens.slice(1), ctx, node, session);
    const wanted = w0 === 'do';
    if (session.lastIf !== wanted) return fail(wanted ? CONTROL.DO_IGNORED : CONTROL.ELSE_IGNORED);
    return this.run(joinRaw(tokens.slice(1)), ctx, node, session);
  }

  /** `if <cond> then <command>` or `if <cond>` alone (prints True/False). */
  private async oneLineIf(
    rest: readonly Token[],
    ctx: ExecContext,
    node: NodeServices,
    session: Session,
  ): Promise<CommandResult> {
    const thenAt = rest.findIndex((t) => t.kind === 'word' && t.text === 'then');
    const condTokens = thenAt < 0 ? rest : rest.slice(0, thenAt);
    const value = evaluateText(joinRaw(condTokens), node);
    if (typeof value !== 'boolean') return value;
    if (thenAt < 0) return ok(value ? 'True' : 'False');
    session.lastIf = value;
    if (!value) return ok();
    const result = await this.run(joinRaw(rest.slice(thenAt + 1)), ctx, node, session);
    session.lastIf = true;
    return result;
  }

  /** Expand words and run the registered command. */
  async dispatch(tokens: readonly Token[], ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
    const scope = scopeOf(node);
    const words = tokens.map((t) => expandToken(t, scope));
    const text = joinRaw(tokens);
    const found = this.registry.match(words, text);
    if (!found.ok) return found.result;
    if (ctx.source === 'tcp' && found.def.peerAllowed !== true)
      return fail(STATUS.UNAUTHORIZED, `Command '${text}' not accepted from peers`);
    try {
      return await found.def.run({ words, rawWords: tokens.map((t) => t.raw), text }, ctx, node);
    } catch (error) {
      node.logger.error(
        { err: error, command: maskSecrets(text, node.dict.entries()) },
        'command failed unexpectedly',
      );
      return fail(
        STATUS.PROCESS_FAILURE,
        `${statusText(STATUS.PROCESS_FAILURE)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

function isEquals(t: Token | undefined): boolean {
  return t?.kind === 'op' && t.text === '=';
}

function isTarget(t: Token): boolean {
  if (t.kind !== 'word') return false;
  return VAR_NAME_RE.test(t.text.startsWith('$') ? t.text.slice(1) : t.text);
}

/** The stored value of `name = <words>` when the words are not a command. */
function assignedValue(rest: readonly Token[], scope: VarScope): string {
  const [first] = rest;
  if (rest.length === 1 && first?.kind === 'group' && first.text.startsWith('{')) return first.raw;
  const isConcat =
    rest.length >= 3 && rest.every((t, i) => (i % 2 === 1) === (t.kind === 'op' && t.text === '+'));
  if (isConcat) {
    return rest
      .filter((_, i) => i % 2 === 0)
      .map((t) => expandToken(t, scope))
      .join('');
  }
  return rest.map((t) => expandToken(t, scope)).join(' ');
}

const FIXED_CONTROL: Readonly<Record<string, StatusCode>> = {
  return: CONTROL.RETURN,
  'end script': CONTROL.END_SCRIPT,
  'exit scripts': CONTROL.EXIT_SCRIPTS,
};

/** goto, call, return, end script, exit scripts, on error. */
function simpleControl(tokens: readonly Token[], node: NodeServices): CommandResult | undefined {
  if (!CONTROL_WORDS.has(tokens[0]?.text ?? '')) return undefined;
  const words = tokens.map((t) => t.text);
  const [w0, w1] = words;
  if ((w0 === 'goto' || w0 === 'call') && words.length === 2) {
    return fail(w0 === 'goto' ? CONTROL.GOTO : CONTROL.CALL, expandWord(w1 ?? '', scopeOf(node)));
  }
  const fixed = FIXED_CONTROL[words.join(' ')];
  if (fixed !== undefined) return fail(fixed);
  if (w0 === 'on' && w1 === 'error') return onError(words.slice(2));
  return undefined;
}

function onError(words: readonly string[]): CommandResult {
  const [mode, arg] = words;
  if (mode === 'ignore' && words.length === 1) return fail(CONTROL.ON_ERROR_IGNORE);
  if (mode === 'goto' && arg !== undefined && words.length === 2) return fail(CONTROL.ON_ERROR_GOTO, arg);
  if (mode === 'call' && arg !== undefined && words.length === 2) return fail(CONTROL.ON_ERROR_CALL, arg);
  if (mode === 'end' && arg === 'script' && words.length === 2) return fail(CONTROL.ON_ERROR_END);
  return fail(STATUS.COMMAND_STRUCTURE, `Wrong 'on error' statement`);
}
