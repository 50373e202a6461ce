// Errors that carry the retry decision of a reconcile pass (architecture example 6):
// TemporaryError retries after a delay, PermanentError stops retrying until the object changes,
// NextLoop ends a pass early without an error. Anything else is retried with per-key backoff.
import { AppError, isAppError, type ErrorCode } from '../../common/errors.js';

export interface TemporaryErrorOptions {
  readonly delayMs: number;
  /** Condition reason the domain reports while waiting (PascalCase). */
  readonly reason?: string;
  readonly cause?: unknown;
  readonly code?: ErrorCode;
}

export interface PermanentErrorOptions {
  readonly reason: string;
  readonly cause?: unknown;
  readonly code?: ErrorCode;
}

function codeOf(code: ErrorCode | undefined, cause: unknown, fallback: ErrorCode): ErrorCode {
  if (code !== undefined) return code;
  return isAppError(cause) ? cause.code : fallback;
}

/** Retry after `delayMs`; the pass is not counted as an error. */
export class TemporaryError extends AppError {
  readonly delayMs: number;
  readonly reason: string | undefined;

  constructor(message: string, options: TemporaryErrorOptions) {
    super(codeOf(options.code, options.cause, 'ERR_RECONCILE_TEMPORARY'), message, {
      retryable: true,
      cause: options.cause,
    });
    this.delayMs = Math.max(0, options.delayMs);
    this.reason = options.reason;
  }
}

/** No retry until the generation (or an owned object) changes; the domain reports it as Stalled. */
export class PermanentError extends AppError {
  readonly reason: string;

  constructor(message: string, options: PermanentErrorOptions) {
    super(codeOf(options.code, options.cause, 'ERR_RECONCILE_PERMANENT'), message, {
      retryable: false,
      cause: options.cause,
    });
    this.reason = options.reason;
  }
}

/** Ends a pass early, without logging an error; optionally requeues after a delay. */
export class NextLoop extends AppError {
  readonly requeueAfterMs: number | undefined;

  constructor(requeueAfterMs?: number) {
    super('ERR_RECONCILE_TEMPORARY', 'pass ended early (NextLoop)', { retryable: true });
    this.requeueAfterMs = requeueAfterMs;
  }
}

/** Errors that indicate a bug in the handler (counted as panics, like a Go panic in controller-runtime). */
export function isProgrammingError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError;
}

export type ErrorClass =
  | { readonly kind: 'temporary'; readonly delayMs: number }
  | { readonly kind: 'permanent'; readonly reason: string }
  | { readonly kind: 'next-loop'; readonly requeueAfterMs: number | undefined }
  | { readonly kind: 'unknown'; readonly panic: boolean; readonly retryAfterMs: number | undefined };

/** Sorts a thrown value into the framework's retry classes. */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof NextLoop) return { kind: 'next-loop', requeueAfterMs: err.requeueAfterMs };
  if (err instanceof TemporaryError) return { kind: 'temporary', delayMs: err.delayMs };
  if (err instanceof PermanentError) return { kind: 'permanent', reason: err.reason };
  return { kind: 'unknown', panic: isProgrammingError(err), retryAfterMs: retryAfterOf(err) };
}

/** A server's Retry-After (KubeApiError.retryAfter) if the error carries one. */
function retryAfterOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('retryAfter' in err)) return undefined;
  const value = (err as { retryAfter?: unknown }).retryAfter;
  return typeof value === 'number' ? value : undefined;
}
