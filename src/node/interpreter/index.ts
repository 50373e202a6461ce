// The interpreter facade: registry + statement runner + script runner. node/main.ts builds one Interpreter
// with every CommandDef and routes every interface's command text through execute() / runScript*().
import { readFile } from 'node:fs/promises';
import { fail, ok, type CommandDef, type CommandResult, type ExecContext } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { createBuiltinCommands } from './builtins.js';
import { CONTROL, isControlCode, STATUS } from '../../contract/status-codes.js';
import { CommandRegistry } from './registry.js';
import { ScriptRunner, terminationMessage, type ScriptOutcome } from './runner.js';
import { parseProgram, type Program } from './script.js';
import { StatementRunner, type Session } from './statements.js';
import { streamBlockStep } from './stream.js';

export { parseWhere, splitWhere, parseTimeValue, type WhereSchema, type WhereValues } from './where.js';
export { substitutePolicyVariables } from './policy-vars.js';
export { tokenize } from './tokenizer.js';
export { blockStructureError } from './script.js';
export type { Session } from './statements.js';

const MAX_NESTING = 20;

export class Interpreter {
  readonly registry: CommandRegistry;
  private readonly statements: StatementRunner;
  private readonly scripts: ScriptRunner;
  private nesting = 0;

  constructor(commands: readonly CommandDef[]) {
    this.registry = new CommandRegistry(commands);
    this.registry.register(createBuiltinCommands(this));
    this.statements = new StatementRunner(this.registry);
    this.scripts = new ScriptRunner(this.statements);
  }

  /** A fresh one-line `if` state (CLI sessions keep one). */
  newSession(): Session {
    return { lastIf: undefined };
  }

  /**
   * Run one command line outside a script (REST, TCP, scheduler, CLI). Control codes map to 0 or 2.
   * One-line `if` state and brace blocks carry across the lines of one session: the explicit one, else
   * the context's (a REST request's); without either the line is a stream of its own.
   */
  async execute(
    text: string,
    ctx: ExecContext,
    node: NodeServices,
    session?: Session,
  ): Promise<CommandResult> {
    const stream = session ?? ctx.session ?? this.newSession();
    if (ctx.source !== 'tcp') {
      const step = streamBlockStep(text, stream, node);
      if (step !== undefined) return step;
    }
    const result = await this.statements.run(text, ctx, node, stream);
    if (!isControlCode(result.code)) return result;
    const ignorable: number[] = [
      CONTROL.DO_IGNORED,
      CONTROL.ELSE_IGNORED,
      CONTROL.END_SCRIPT,
      CONTROL.EXIT_SCRIPTS,
    ];
    return ignorable.includes(result.code)
      ? ok()
      : fail(STATUS.COMMAND_STRUCTURE, `'${text}' is only valid in a script`);
  }

  /** Run script text under a name (`builtin:master`, a path). Returns code 0, 56 or the on-error-end code. */
  async runScriptText(
    source: string,
    name: string,
    ctx: ExecContext,
    node: NodeServices,
  ): Promise<ScriptOutcome> {
    const parsed = parseProgram(source, name);
    if (!parsed.ok) {
      const failing = fail(STATUS.COMMAND_STRUCTURE, parsed.message);
      const message = terminationMessage(name, parsed.line, parsed.message, failing);
      ctx.console(message);
      node.logger.error({ script: name, line: parsed.line }, message);
      return { result: fail(STATUS.SCRIPT_ERROR, parsed.message), exitAll: false };
    }
    return this.runProgram(parsed.program, ctx, node);
  }

  async runProgram(program: Program, ctx: ExecContext, node: NodeServices): Promise<ScriptOutcome> {
    if (this.nesting >= MAX_NESTING)
      return { result: fail(STATUS.SCRIPT_ERROR, 'Scripts nested too deeply'), exitAll: false };
    this.nesting += 1;
    try {
      return await this.scripts.run(
        program,
        { ...ctx, source: ctx.source === 'cli' ? 'script' : ctx.source },
        node,
      );
    } finally {
      this.nesting -= 1;
    }
  }

  /** `process <file>`: 112 when missing; `exit scripts` propagates as its control code. */
  async runScriptFile(path: string, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
    let source: string;
    try {
      source = await readFile(path, 'utf8');
    } catch (error) {
      return fail(
        STATUS.MISSING_SCRIPT,
        `Failed to read script file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    const outcome = await this.runScriptText(source, path, ctx, node);
    if (outcome.exitAll && outcome.result.code === STATUS.SUCCESS) return fail(CONTROL.EXIT_SCRIPTS);
    return outcome.result.code === STATUS.SUCCESS ? ok() : outcome.result;
  }
}
