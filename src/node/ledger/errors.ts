// Errors of the node's ledger layer: LedgerError carries the AnyLog status code a
// command should answer with and names the logical database; pg/sqlite failures are sorted here into
// connect (50, retryable) versus SQL failures. Secrets never enter messages.
import { AppError, type ErrorCode } from '../../common/errors.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

export type LedgerFailure =
  'connect' | 'auth' | 'missing-db' | 'duplicate' | 'table-exists' | 'no-table' | 'sql';

export class LedgerError extends AppError {
  readonly failure: LedgerFailure;
  /** AnyLog status code for commands. */
  readonly status: StatusCode;
  readonly dbms: string;

  constructor(failure: LedgerFailure, dbms: string, message: string, cause?: unknown) {
    super(codeFor(failure), message, {
      retryable: failure === 'connect',
      ...(cause === undefined ? {} : { cause }),
      details: { dbms },
    });
    this.failure = failure;
    this.dbms = dbms;
    this.status = statusFor(failure);
  }
}

function codeFor(failure: LedgerFailure): ErrorCode {
  switch (failure) {
    case 'connect':
      return 'ERR_LEDGER_CONNECT';
    case 'auth':
      return 'ERR_LEDGER_AUTH';
    case 'missing-db':
      return 'ERR_LEDGER_MISSING';
    case 'duplicate':
    case 'table-exists':
    case 'no-table':
    case 'sql':
      return 'ERR_LEDGER_SQL';
  }
}

function statusFor(failure: LedgerFailure): StatusCode {
  switch (failure) {
    case 'connect':
    case 'auth':
    case 'missing-db':
      return STATUS.DBMS_NOT_CONNECTED;
    case 'duplicate':
      return STATUS.BLOCKCHAIN_FAILED;
    case 'no-table':
      return STATUS.TABLE_NOT_DECLARED;
    case 'table-exists':
    case 'sql':
      return STATUS.SQL_FAILURE;
  }
}

/** The local ledger file cannot be read or written. */
export class LedgerFileError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('ERR_LEDGER_SQL', message, cause === undefined ? {} : { cause });
  }
}

export function isLedgerError(err: unknown): err is LedgerError {
  return err instanceof LedgerError;
}
