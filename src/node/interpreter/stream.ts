// Brace blocks over a stream of lines: lines that arrive one at a time through
// Interpreter.execute with one Session (POST body lines, CLI lines) keep a stack of open blocks, so
// `if … {` / `} else if … {` / `} else {` / `}` span lines and lines of branches that do not run are
// skipped. Scripts use the Program structure (runner.ts) instead. Pure apart from evaluating conditions.
import { fail, ok, type CommandResult } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { classifyBrace } from './script.js';
import { evaluateText, type BlockFrame, type Session } from './statements.js';
import { STATUS } from '../../contract/status-codes.js';

function running(frames: readonly BlockFrame[]): boolean {
  const top = frames[frames.length - 1];
  return top === undefined || top.running;
}

/** Choose whether a conditional branch runs: only when its block runs and no earlier branch ran. */
function branch(frame: BlockFrame, cond: string, node: NodeServices): CommandResult | undefined {
  if (!frame.outerRunning || frame.taken) {
    frame.running = false;
    return undefined;
  }
  const value = evaluateText(cond, node);
  if (typeof value !== 'boolean') return value;
  frame.running = value;
  frame.taken = value;
  return undefined;
}

/**
 * Apply one line of a stream to the session's open blocks. Returns the line's result when the line was a
 * brace line or is skipped (inside a branch that does not run), or undefined when it is to be executed.
 */
export function streamBlockStep(
  text: string,
  session: Session,
  node: NodeServices,
): CommandResult | undefined {
  const frames = session.blocks ?? [];
  const st = classifyBrace(text.trim(), 0);
  if (st === undefined) return running(frames) ? undefined : ok();
  session.blocks = frames;
  if (st.kind === 'if') {
    const frame: BlockFrame = { outerRunning: running(frames), running: false, taken: false, sawElse: false };
    const problem = branch(frame, st.cond, node);
    if (problem !== undefined) return problem;
    frames.push(frame);
    return ok();
  }
  const top = frames[frames.length - 1];
  if (top === undefined) return fail(STATUS.COMMAND_STRUCTURE, `'}' without an open block`);
  if (st.kind === 'close') {
    frames.pop();
    return ok();
  }
  if (top.sawElse) return fail(STATUS.COMMAND_STRUCTURE, "branch after 'else'");
  if (st.kind === 'else') {
    top.sawElse = true;
    top.running = top.outerRunning && !top.taken;
    top.taken = true;
    return ok();
  }
  return branch(top, st.cond, node) ?? ok();
}
