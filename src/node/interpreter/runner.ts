// Script execution: runs a Program statement by statement with
// brace blocks, labels, goto / call / return, `on error …` modes and the termination message. Results of
// commands go to the context's console; a failure without `on error` ends the script with status 56.
import { fail, ok, type CommandResult, type ExecContext } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { CONTROL, isControlCode, statusText, STATUS } from '../../contract/status-codes.js';
import type { BranchHeader, Program } from './script.js';
import { maskSecrets } from './secrets.js';
import { evaluateText, type Session, type StatementRunner } from './statements.js';

type OnError =
  | { readonly mode: 'none' }
  | { readonly mode: 'ignore' }
  | { readonly mode: 'end' }
  | { readonly mode: 'goto' | 'call'; readonly label: string };

/** How a script ended: code 0, 56 (terminated) or the failing code (`on error end script`). */
export interface ScriptOutcome {
  readonly result: CommandResult;
  /** `exit scripts` was executed: callers end too. */
  readonly exitAll: boolean;
}

interface State {
  pc: number;
  readonly calls: number[];
  onError: OnError;
  readonly session: Session;
}

const MAX_STEPS_WITHOUT_YIELD = 1000;

/** Pad a line number to four digits (`[0027]`). */
export function lineTag(line: number): string {
  return `[${String(line).padStart(4, '0')}]`;
}

/** EdgeLake's script termination message (first line) plus the failing status text and detail. */
export function terminationMessage(
  program: string,
  line: number,
  text: string,
  result: CommandResult,
): string {
  const head = `Script terminated: Error: '${lineTag(line)} ${text} --> ${statusText(STATUS.SCRIPT_ERROR)}' in file ${program}`;
  const detail = result.detail === undefined ? '' : `: ${result.detail}`;
  return `${head}\n${statusText(result.code)} (${result.code})${detail}`;
}

export class ScriptRunner {
  constructor(private readonly statements: StatementRunner) {}

  async run(program: Program, ctx: ExecContext, node: NodeServices): Promise<ScriptOutcome> {
    const state: State = { pc: 0, calls: [], onError: { mode: 'none' }, session: { lastIf: undefined } };
    let steps = 0;
    while (state.pc < program.statements.length) {
      if (ctx.signal?.aborted === true)
        return { result: fail(STATUS.SCRIPT_ERROR, 'Script aborted'), exitAll: true };
      steps += 1;
      if (steps % MAX_STEPS_WITHOUT_YIELD === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const outcome = await this.step(program, state, ctx, node);
      if (outcome !== undefined) return outcome;
    }
    return { result: ok(), exitAll: false };
  }

  /** Execute the statement at pc; returns an outcome when the script ends. */
  private async step(
    program: Program,
    state: State,
    ctx: ExecContext,
    node: NodeServices,
  ): Promise<ScriptOutcome | undefined> {
    const st = program.statements[state.pc];
    if (st === undefined) return undefined;
    switch (st.kind) {
      case 'label':
      case 'close':
        state.pc += 1;
        return undefined;
      case 'else':
      case 'elseif':
        state.pc = st.end + 1;
        return undefined;
      case 'if':
        return this.enterBlock(program, state, st, { ctx, node });
      case 'command': {
        const lineCtx: ExecContext = { ...ctx, script: { file: program.name, line: st.line } };
        const result = await this.statements.run(st.text, lineCtx, node, state.session);
        return this.handle(program, state, { text: st.text, line: st.line, result }, { ctx, node });
      }
    }
  }

  /** Evaluate an if / else-if chain and move pc into the chosen branch. */
  private enterBlock(
    program: Program,
    state: State,
    header: BranchHeader,
    env: { ctx: ExecContext; node: NodeServices },
  ): Promise<ScriptOutcome | undefined> | undefined {
    let current: BranchHeader = header;
    for (;;) {
      const index = program.statements.indexOf(current);
      if (current.kind === 'else') {
        state.pc = index + 1;
        return undefined;
      }
      const value = evaluateText(current.cond, env.node);
      if (typeof value !== 'boolean') {
        const text = `${current.kind === 'if' ? 'if' : '} else if'} ${current.cond} {`;
        return this.handle(program, state, { text, line: current.line, result: value }, env);
      }
      if (value) {
        state.pc = index + 1;
        return undefined;
      }
      const next = program.statements[current.next];
      if (next === undefined || next.kind === 'close' || next.kind === 'command' || next.kind === 'label') {
        state.pc = current.next + 1;
        return undefined;
      }
      current = next;
    }
  }

  /** Apply a command's result: control codes, errors and on-error modes, console output. */
  private async handle(
    program: Program,
    state: State,
    executed: { text: string; line: number; result: CommandResult },
    env: { ctx: ExecContext; node: NodeServices },
  ): Promise<ScriptOutcome | undefined> {
    const { result } = executed;
    if (isControlCode(result.code)) return this.control(program, state, result, env);
    if (result.code === STATUS.SUCCESS) {
      if (result.text !== undefined && result.text !== '') env.ctx.console(result.text);
      state.pc += 1;
      return undefined;
    }
    return this.failure(program, state, executed, env);
  }

  private failure(
    program: Program,
    state: State,
    executed: { text: string; line: number; result: CommandResult },
    env: { ctx: ExecContext; node: NodeServices },
  ): ScriptOutcome | undefined {
    const { result, line } = executed;
    const text = maskSecrets(executed.text, env.node.dict.entries());
    const onError = state.onError;
    if (onError.mode === 'none') {
      const message = terminationMessage(program.name, line, text, result);
      env.ctx.console(message);
      env.node.logger.error({ script: program.name, line, code: result.code }, message);
      return { result: fail(STATUS.SCRIPT_ERROR, `${lineTag(line)} ${text}`), exitAll: false };
    }
    const detail = result.detail === undefined ? '' : `: ${result.detail}`;
    env.ctx.console(
      `Error: '${lineTag(line)} ${text}' failed with ${statusText(result.code)} (${result.code})${detail}`,
    );
    if (onError.mode === 'end') return { result, exitAll: false };
    if (onError.mode === 'ignore') {
      state.pc += 1;
      return undefined;
    }
    return this.jump(program, state, onError.label, onError.mode === 'call');
  }

  private jump(program: Program, state: State, label: string, isCall: boolean): ScriptOutcome | undefined {
    const target = program.labels.get(label);
    if (target === undefined) {
      return {
        result: fail(STATUS.COMMAND_STRUCTURE, `Label '${label}' not found in ${program.name}`),
        exitAll: false,
      };
    }
    if (isCall) state.calls.push(state.pc + 1);
    state.pc = target + 1;
    return undefined;
  }

  private control(
    program: Program,
    state: State,
    result: CommandResult,
    env: { ctx: ExecContext; node: NodeServices },
  ): Promise<ScriptOutcome | undefined> | ScriptOutcome | undefined {
    const label = result.detail ?? '';
    switch (result.code) {
      case CONTROL.GOTO:
      case CONTROL.CALL:
        return this.jumpOrFail(program, state, label, result.code === CONTROL.CALL, env);
      case CONTROL.RETURN: {
        const back = state.calls.pop();
        if (back === undefined) return { result: ok(), exitAll: false };
        state.pc = back;
        return undefined;
      }
      case CONTROL.END_SCRIPT:
        return { result: ok(), exitAll: false };
      case CONTROL.EXIT_SCRIPTS:
        return { result: ok(), exitAll: true };
      default:
        state.onError = onErrorMode(result.code, label) ?? state.onError;
        state.pc += 1;
        return undefined;
    }
  }

  private jumpOrFail(
    program: Program,
    state: State,
    label: string,
    isCall: boolean,
    env: { ctx: ExecContext; node: NodeServices },
  ): ScriptOutcome | undefined {
    if (program.labels.has(label)) return this.jump(program, state, label, isCall);
    const st = program.statements[state.pc];
    const line = st?.line ?? 0;
    const text = st?.kind === 'command' ? st.text : `${isCall ? 'call' : 'goto'} ${label}`;
    return this.failure(
      program,
      state,
      { text, line, result: fail(STATUS.COMMAND_STRUCTURE, `Label '${label}' not found`) },
      env,
    );
  }
}

function onErrorMode(code: number, label: string): OnError | undefined {
  switch (code) {
    case CONTROL.ON_ERROR_IGNORE:
      return { mode: 'ignore' };
    case CONTROL.ON_ERROR_END:
      return { mode: 'end' };
    case CONTROL.ON_ERROR_GOTO:
      return { mode: 'goto', label };
    case CONTROL.ON_ERROR_CALL:
      return { mode: 'call', label };
    default:
      return undefined;
  }
}
