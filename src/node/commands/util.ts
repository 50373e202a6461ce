// Helpers shared by the core command families: `where` detection, format selection and mapping thrown
// adapter errors (AppError details.status) to AnyLog status codes.
import { isAppError } from '../../common/errors.js';
import { fail, type CommandResult, type Invocation } from '../ports/command.js';
import { parseWhere } from '../interpreter/where.js';
import { STATUS, asStatusCode, type StatusCode } from '../../contract/status-codes.js';

/** Parse an optional `where format = <f>` tail starting at `at`; undefined format when absent. */
export function formatOption(
  inv: Invocation,
  at: number,
  allowed: readonly string[],
): { ok: true; format: string | undefined } | { ok: false; result: CommandResult } {
  if (inv.words.length === at) return { ok: true, format: undefined };
  if (inv.words[at] !== 'where')
    return { ok: false, result: fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`) };
  const parsed = parseWhere(
    inv.words.slice(at + 1),
    { format: { type: 'enum', values: allowed, required: true } },
    { command: inv.text },
  );
  return parsed.ok ? { ok: true, format: parsed.values.format } : parsed;
}

/** A thrown adapter error as a result: AppError with details.status keeps its code, else `fallback`. */
export function errorResult(error: unknown, fallback: StatusCode): CommandResult {
  const message = error instanceof Error ? error.message : String(error);
  if (isAppError(error)) {
    const status = error.details['status'];
    return fail(typeof status === 'number' ? asStatusCode(status) : fallback, message);
  }
  return fail(fallback, message);
}
