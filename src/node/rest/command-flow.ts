// Running a REST request's commands: POST body lines first, under the
// REST body lock, then the header command, rewritten to `run client (…) <command>` for a `destination`;
// the `assignment` header stores the result text in the dictionary. An unknown command answers 141.
import type { CommandResult, ExecContext } from '../ports/command.js';
import type { Dictionary, NodeServices } from '../ports/runtime.js';
import { bracketBalance, isBraceLine, toLogicalLines } from '../interpreter/lines.js';
import { blockStructureError } from '../interpreter/script.js';
import { parseTimeValue } from '../interpreter/time-value.js';
import type { Mutex } from '../../common/mutex.js';
import type { Headers } from '../http/headers.js';
import { STATUS } from '../../contract/status-codes.js';

export interface FlowDeps {
  readonly node: NodeServices;
  readonly bodyLock: Mutex;
  /** The server's peer-reply timeout (seconds), default for `destination`. */
  readonly timeoutSeconds: () => number;
}

export interface CommandRequest {
  readonly command: string;
  readonly headers: Headers;
  /** Body text to run as lines before the command (POST), or undefined. */
  readonly body: string | undefined;
  readonly clientIp: string;
}

const NO_CONSOLE = (): void => undefined;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Body bytes → text: UTF-8 (ISO-8859-1 when invalid), TAB and CR removed. */
export function bodyText(body: Buffer): string {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    text = body.toString('latin1');
  }
  return text.replace(/[\t\r]/g, '');
}

/** The command to execute for the `destination`, `subset` and `timeout` headers. */
export function destinationCommand(command: string, headers: Headers, defaultTimeout: number): string {
  const destination = (headers['destination'] ?? '').trim();
  if (destination === '' || destination.toLowerCase() === 'local') return command;
  const parts = destination.toLowerCase() === 'network' ? [] : [destination.replace(/^\(|\)$/g, '')];
  if ((headers['subset'] ?? '').toLowerCase() === 'true') parts.push('subset = true');
  const timeout = parseTimeValue(headers['timeout'] ?? '') ?? defaultTimeout;
  parts.push(`timeout = ${timeout}`);
  return `run client (${parts.join(', ')}) ${command}`;
}

/** A line with a `{` or `[` left open: EdgeLake ends a body line at its newline and answers 11 for it. */
function isOpenJson(text: string): boolean {
  if (isBraceLine(text)) return false;
  const { braces, brackets } = bracketBalance(text);
  return braces > 0 || brackets > 0;
}

/** EdgeLake's REST server answers 141 (same text as 1) for a command it does not know. */
function restCode(result: CommandResult): CommandResult {
  return result.code === STATUS.UNRECOGNIZED_COMMAND ? { ...result, code: STATUS.NOT_IN_COMMANDS } : result;
}

async function runBodyLines(
  deps: FlowDeps,
  body: string,
  ctx: ExecContext,
): Promise<CommandResult | undefined> {
  const { lines, error } = toLogicalLines(body, false, false);
  const blocks = blockStructureError(lines.map((l) => l.text));
  if (blocks !== undefined) {
    const text = lines[blocks.index]?.text ?? '';
    return {
      code: STATUS.COMMAND_STRUCTURE,
      detail: `Error with command #${blocks.index + 1} in the message body: '${text}'`,
    };
  }
  for (const [i, line] of lines.entries()) {
    const result = isOpenJson(line.text)
      ? { code: STATUS.MISSING_BRACKETS }
      : restCode(await deps.node.execute(line.text, ctx));
    if (result.code !== STATUS.SUCCESS) {
      return {
        code: result.code,
        detail: `Error with command #${i + 1} in the message body: '${line.text}'`,
      };
    }
  }
  if (error !== undefined) {
    return {
      code: STATUS.COMMAND_STRUCTURE,
      detail: `Error with command #${lines.length + 1} in the message body: '${error.message}'`,
    };
  }
  return undefined;
}

/** The `assignment` header: the result text, or no variable for a result without a value. */
function assignResult(dict: Dictionary, variable: string, result: CommandResult): void {
  if (result.noValue === true) dict.delete(variable);
  else dict.set(variable, result.text ?? '');
}

async function runHeaderCommand(
  deps: FlowDeps,
  req: CommandRequest,
  ctx: ExecContext,
): Promise<CommandResult> {
  const text = destinationCommand(req.command, req.headers, deps.timeoutSeconds());
  const forwarded = text !== req.command;
  const result = restCode(await deps.node.execute(text, forwarded ? { ...ctx, assigned: true } : ctx));
  const variable = req.headers['assignment'];
  if (result.code === STATUS.SUCCESS && variable !== undefined && variable !== '') {
    assignResult(deps.node.dict, variable, result);
    return { code: STATUS.SUCCESS };
  }
  return result;
}

/** Execute body lines (if any) and the header command; returns the command's result. */
export function runRestCommand(deps: FlowDeps, req: CommandRequest): Promise<CommandResult> {
  // A plain literal: one with an accessor costs V8 ~0.7 µs to build, on every request.
  const ctx: ExecContext = {
    source: 'rest',
    assigned: false,
    console: NO_CONSOLE,
    // One stream per request, carried by spread copies too.
    session: { lastIf: undefined },
    client: req,
  };
  const body = req.body;
  if (body === undefined || body.trim() === '') return runHeaderCommand(deps, req, ctx);
  return deps.bodyLock.run(async () => {
    const failed = await runBodyLines(deps, body, ctx);
    return failed ?? runHeaderCommand(deps, req, ctx);
  });
}
