// Error base class and the project-wide registry of stable error codes.
// Leaf module (imports nothing internal). Every domain error extends AppError and carries a code from
// ERROR_CODES plus the retry decision; docs/errors.md lists the same codes and a test keeps them in sync.

export const ERROR_CODES = {
  ERR_CONFIG_INVALID: 'configuration failed validation (all problems in one message)',
  ERR_USAGE: 'bad command-line usage',
  ERR_INTERNAL: 'unexpected internal failure (a bug)',
  ERR_LEDGER_CONNECT: 'the ledger database cannot be reached',
  ERR_LEDGER_AUTH: 'the ledger database rejected the credentials',
  ERR_LEDGER_MISSING: 'the ledger database does not exist and cannot be created',
  ERR_LEDGER_SQL: 'a ledger SQL statement failed',
  ERR_CMD_UNKNOWN: 'unknown AnyLog command',
  ERR_CMD_STRUCTURE: 'AnyLog command with a wrong structure',
  ERR_CMD_FAILED: 'an AnyLog command failed with an AnyLog status code',
  ERR_SCRIPT_SYNTAX: 'a script has a syntax error',
  ERR_FRAME_INVALID: 'a TCP frame violates the wire format',
  ERR_PEER_UNREACHABLE: 'a peer node cannot be reached',
  ERR_PEER_TIMEOUT: 'a peer node did not answer in time',
  ERR_POLICY_INVALID: 'a policy is not a valid one-key JSON object',
  ERR_NODE_UNREACHABLE: 'the node REST API cannot be reached',
  ERR_NODE_REJECTED: 'the node REST API answered with an error',
  ERR_NODE_RESPONSE: 'the node REST API answered with an unexpected body',
  ERR_KUBE_API: 'the Kubernetes API answered with an error',
  ERR_CR_INVALID: 'an AnyLogMaster spec failed validation',
  ERR_SECRET_NOT_FOUND: 'a referenced Secret or key is missing',
  ERR_CONTROLPLANE: 'the test control plane failed to start or stop',
  ERR_RECONCILE_TEMPORARY: 'a reconcile pass ended early and is retried after a delay',
  ERR_RECONCILE_PERMANENT: 'a reconcile pass cannot succeed until the object changes',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Base class for every error the project throws on purpose. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** Configuration problems, reported together. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('ERR_CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/** Narrow an unknown caught value to an Error without losing it. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new AppError('ERR_INTERNAL', `non-error thrown: ${String(value)}`);
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
