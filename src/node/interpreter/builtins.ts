// Script commands implemented by the interpreter itself: `print`, `echo`, `wait`
// and `process`. `process` needs the interpreter to run a nested script, so these defs are built by
// createBuiltinCommands(host).
import { fail, ok, type CommandDef, type CommandResult, type ExecContext } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { evaluateText } from './statements.js';
import { parseTimeValue } from './time-value.js';
import { STATUS } from '../../contract/status-codes.js';

/** What `process` needs from the interpreter. */
export interface ScriptHost {
  runScriptFile(path: string, ctx: ExecContext, node: NodeServices): Promise<CommandResult>;
}

/** Outer single quotes are removed from print/echo text. */
export function printText(words: readonly string[]): string {
  const text = words.join(' ');
  return text.length >= 2 && text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text;
}

const print: CommandDef = {
  key: 'print',
  peerAllowed: true,
  run: (inv) => Promise.resolve(ok(printText(inv.words.slice(1)))),
};

const echo: CommandDef = {
  key: 'echo',
  peerAllowed: true,
  run: (inv) => Promise.resolve(ok(printText(inv.words.slice(1)))),
};

async function sleepOrAbort(
  node: NodeServices,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    await node.clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

/** `wait <n> [seconds]` or `wait <n> for <cond>` (status 0 either way). */
const wait: CommandDef = {
  key: 'wait',
  async run(inv, ctx, node) {
    const forAt = inv.words.indexOf('for');
    const timeWords = forAt < 0 ? inv.words.slice(1) : inv.words.slice(1, forAt);
    const seconds = parseTimeValue(timeWords.join(' '));
    if (seconds === undefined)
      return fail(STATUS.COMMAND_STRUCTURE, `Wrong wait time: '${timeWords.join(' ')}'`);
    if (forAt < 0) {
      await sleepOrAbort(node, seconds * 1000, ctx.signal);
      return ok();
    }
    const condText = inv.rawWords.slice(forAt + 1).join(' ');
    const deadline = node.clock.monotonic() + seconds * 1000;
    for (;;) {
      const value = evaluateText(condText, node);
      if (typeof value !== 'boolean') return value;
      if (value || node.clock.monotonic() >= deadline) return ok();
      if (!(await sleepOrAbort(node, 1000, ctx.signal))) return ok();
    }
  },
};

export function createBuiltinCommands(host: ScriptHost): CommandDef[] {
  const processCmd: CommandDef = {
    key: 'process',
    run(inv, ctx, node) {
      if (inv.words.length !== 2)
        return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, 'Usage: process <file>'));
      return host.runScriptFile(inv.words[1] ?? '', ctx, node);
    },
  };
  return [print, echo, wait, processCmd];
}
