// Maps PostgreSQL and connection failures to the operator's ledger errors by SQLSTATE
// and connection error code: temporary (LedgerUnreachable, WaitingForLedger) or permanent
// (LedgerAuthFailed, DatabaseMissing), each with its condition reason. Wrapped errors carry a message
// scrubbed of connection strings and known secrets, and no `cause` (a pg error may hold connection data).
import pg from 'pg';
import { AppError, type ErrorCode } from '../common/errors.js';

export type LedgerReason = 'LedgerUnreachable' | 'LedgerAuthFailed' | 'DatabaseMissing' | 'WaitingForLedger';

export interface LedgerErrorInit {
  readonly message: string;
  readonly sqlState?: string;
}

/** Base of every ledger failure: a stable code, a retry decision and the LedgerReady reason. */
export abstract class LedgerError extends AppError {
  abstract readonly reason: LedgerReason;
  readonly sqlState: string | undefined;
  constructor(code: ErrorCode, retryable: boolean, init: LedgerErrorInit) {
    super(code, init.message, {
      retryable,
      details: init.sqlState === undefined ? {} : { sqlState: init.sqlState },
    });
    this.sqlState = init.sqlState;
  }
}

/** Connection refused, timed out or lost; the server is starting or out of resources. Temporary. */
export class LedgerUnreachableError extends LedgerError {
  readonly reason = 'LedgerUnreachable' as const;
  constructor(init: LedgerErrorInit) {
    super('ERR_LEDGER_CONNECT', true, init);
  }
}

/** Wrong password, unknown role, pg_hba rejection or a missing privilege. Permanent until the user acts. */
export class LedgerAuthFailedError extends LedgerError {
  readonly reason = 'LedgerAuthFailed' as const;
  constructor(init: LedgerErrorInit) {
    super('ERR_LEDGER_AUTH', false, init);
  }
}

/** The database does not exist and cannot be created with the credentials given. Permanent. */
export class LedgerDatabaseMissingError extends LedgerError {
  readonly reason = 'DatabaseMissing' as const;
  constructor(init: LedgerErrorInit) {
    super('ERR_LEDGER_MISSING', false, init);
  }
}

/** Any other SQL failure (lock timeout, serialization, unexpected catalog state). Retried with backoff. */
export class LedgerSqlError extends LedgerError {
  readonly reason = 'WaitingForLedger' as const;
  constructor(init: LedgerErrorInit, retryable = true) {
    super('ERR_LEDGER_SQL', retryable, init);
  }
}

/** What the failing operation was, for the message, and which strings must never appear in it. */
export interface PgErrorContext {
  /** e.g. `connecting to db.example:5432/blockchain as anylog`. */
  readonly action: string;
  /** Passwords and other secrets to scrub from messages. */
  readonly secrets?: readonly string[];
  /** Map 42501 (insufficient privilege) to DatabaseMissing instead of LedgerAuthFailed. */
  readonly privilegeMeansDatabaseMissing?: boolean;
}

const CONNECTION_URL = /\b(?:postgres(?:ql)?|pg):\/\/\S*/giu;

/** Remove connection URLs and the given secrets from a text. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(CONNECTION_URL, '<connection string>');
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('******');
  }
  return out;
}

export function sqlStateOf(err: unknown): string | undefined {
  return err instanceof pg.DatabaseError && typeof err.code === 'string' ? err.code : undefined;
}

function baseMessage(err: unknown): string {
  if (err instanceof pg.DatabaseError) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === undefined ? err.message : `${code}: ${err.message}`;
  }
  return String(err);
}

const TEMPORARY_STATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '55P03', '57014']);

function isUnreachableState(state: string): boolean {
  return (
    state.startsWith('08') ||
    state.startsWith('53') ||
    state === '57P01' ||
    state === '57P02' ||
    state === '57P03'
  );
}

/** Sort one failure into the error classes above. Errors without a SQLSTATE are connection failures. */
export function mapPgError(err: unknown, ctx: PgErrorContext): LedgerError {
  if (err instanceof LedgerError) return err;
  const state = sqlStateOf(err);
  const message = scrubSecrets(
    `${ctx.action}: ${baseMessage(err)}${state === undefined ? '' : ` (SQLSTATE ${state})`}`,
    ctx.secrets,
  );
  const init = state === undefined ? { message } : { message, sqlState: state };
  if (state === undefined || isUnreachableState(state)) return new LedgerUnreachableError(init);
  if (state === '28P01' || state === '28000') return new LedgerAuthFailedError(init);
  if (state === '3D000') return new LedgerDatabaseMissingError(init);
  if (state === '42501') {
    return ctx.privilegeMeansDatabaseMissing === true
      ? new LedgerDatabaseMissingError(init)
      : new LedgerAuthFailedError(init);
  }
  return new LedgerSqlError(init, TEMPORARY_STATES.has(state));
}
