// Helpers shared by the ledger commands: policy text from `!var` or JSON with `!var` substitution in its values,
// LedgerError → status code mapping, and the `blockchain` logical database name.
import { parseOrderedJson, JsonSyntaxError, type JsonValue } from '../../../contract/ordered-json.js';
import { LEDGER_LOGICAL_DBMS } from '../../../contract/ledger-ddl.js';
import { fail, type CommandResult } from '../../ports/command.js';
import type { NodeServices } from '../../ports/runtime.js';
import { substitutePolicyVariables } from '../../interpreter/policy-vars.js';
import { STATUS, type StatusCode } from '../../../contract/status-codes.js';

export const BLOCKCHAIN = LEDGER_LOGICAL_DBMS;

export interface PolicyText {
  /** Substituted text. */
  readonly text: string;
  /** The variable named by a `!var` argument (for prepare's write-back). */
  readonly variable: string | undefined;
}

/** The policy argument: `!var` (raw word) or JSON text; variables substituted. */
export function policyText(node: NodeServices, word: string, rawWord: string | undefined): PolicyText {
  const m = /^!([A-Za-z_][A-Za-z0-9_]*)$/.exec(rawWord ?? '');
  const source = m !== null ? (node.dict.get(m[1] ?? '') ?? word) : word;
  return { text: substitutePolicyVariables(source, node.dict), variable: m?.[1] };
}

/** Parse policy JSON; undefined when it is not JSON. */
export function parsePolicy(text: string): JsonValue | undefined {
  try {
    return parseOrderedJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return undefined;
    throw err;
  }
}

function hasStatus(err: unknown): err is Error & { status: number } {
  return err instanceof Error && 'status' in err && typeof err.status === 'number';
}

/** A ledger failure as a command result: unreachable database → 50 naming it, else `fallback`. */
export function ledgerFailure(err: unknown, fallback: StatusCode, dbms: string = BLOCKCHAIN): CommandResult {
  if (!(err instanceof Error)) throw err;
  if ('failure' in err && (err.failure === 'connect' || err.failure === 'auth')) {
    return fail(STATUS.DBMS_NOT_CONNECTED, `Logical DBMS '${dbms}' not connected: ${err.message}`);
  }
  if (hasStatus(err) && 'failure' in err) return fail(fallback, err.message);
  throw err;
}

export function notConnected(dbms: string = BLOCKCHAIN): CommandResult {
  return fail(STATUS.DBMS_NOT_CONNECTED, `Logical DBMS '${dbms}' not connected`);
}
