// REST answer bodies: error bodies in json.dumps spacing with real HTTP
// statuses, health bodies. handling.ts builds whole answers from them (headers, content types).
import { httpStatus, statusText, STATUS, type StatusCode } from '../../contract/status-codes.js';

/** Python json.dumps of a string (ensure_ascii): JSON escapes plus \uXXXX for non-ASCII. */
export function pyString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface ErrorBody {
  readonly method: string;
  readonly node: string;
  readonly code: StatusCode;
  readonly detail?: string | undefined;
}

/** `{"method": …, "node": …, "err_code": N, "err_text": …[, "local_msg": …]}` in this key order. */
export function errorBody(e: ErrorBody): string {
  const parts = [
    `"method": ${pyString(e.method)}`,
    `"node": ${pyString(e.node)}`,
    `"err_code": ${e.code}`,
    `"err_text": ${pyString(statusText(e.code))}`,
  ];
  if (e.detail !== undefined && e.detail !== '') parts.push(`"local_msg": ${pyString(e.detail)}`);
  return `{${parts.join(', ')}}`;
}

/** HTTP status of a failing code; 30 is 409 only for a duplicate id. */
export function statusFor(code: StatusCode, detail: string | undefined): number {
  if (code === STATUS.BLOCKCHAIN_FAILED) return /duplicate/i.test(detail ?? '') ? 409 : 500;
  return httpStatus(code);
}

export function healthBody(path: string, nowMs: number): string {
  if (path === '/api/status') return '{"status": "ok"}';
  const seconds = nowMs / 1000;
  const ts = Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
  return `{"status": "healthy", "service": "anylog-rest-server", "timestamp": ${ts}}`;
}
