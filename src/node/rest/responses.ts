// REST answers (anylog-node.md §5.1, §5.7, §5.8, §5.10): the common headers, text results with
// EdgeLake's content types, error bodies in json.dumps spacing with real HTTP statuses, health bodies.
import type { FastifyReply } from 'fastify';
import { httpStatus, statusText, STATUS } from '../../contract/status-codes.js';

export type ConnectionMode = 'close' | 'keep-alive';

const CORS = {
  'access-control-allow-origin': '*',
  vary: 'Origin',
  'access-control-expose-headers': '*',
} as const;

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
  readonly code: number;
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

/** HTTP status of a failing code; 30 is 409 only for a duplicate id (§12). */
export function statusFor(code: number, detail: string | undefined): number {
  if (code === STATUS.BLOCKCHAIN_FAILED) return /duplicate/i.test(detail ?? '') ? 409 : 500;
  return httpStatus(code);
}

/**
 * Write the response directly (fastify would rewrite EdgeLake's content types `text` / `text/json`):
 * status, the common headers of §5.1, Content-Type, Content-Length, body.
 */
function writeRaw(
  reply: FastifyReply,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
): FastifyReply {
  const buf = Buffer.from(body, 'utf8');
  reply.hijack();
  reply.raw.writeHead(status, { ...headers, 'content-length': buf.length });
  reply.raw.end(buf);
  return reply;
}

function common(connection: ConnectionMode): Record<string, string> {
  return { connection, ...CORS };
}

export function sendText(reply: FastifyReply, connection: ConnectionMode, text: string): FastifyReply {
  const type = text.startsWith('{') || text.startsWith('[') ? 'text/json' : 'text';
  return writeRaw(reply, 200, { ...common(connection), 'content-type': type }, text);
}

export function sendError(
  reply: FastifyReply,
  connection: ConnectionMode,
  e: ErrorBody,
  extra: Readonly<Record<string, string>> = {},
): FastifyReply {
  const headers = { ...common(connection), ...extra, 'content-type': 'application/json' };
  return writeRaw(reply, statusFor(e.code, e.detail), headers, errorBody(e));
}

export function sendJson(reply: FastifyReply, connection: ConnectionMode, body: string): FastifyReply {
  return writeRaw(reply, 200, { ...common(connection), 'content-type': 'application/json' }, body);
}

export function sendOptions(reply: FastifyReply, connection: ConnectionMode): FastifyReply {
  reply.hijack();
  reply.raw.writeHead(204, {
    ...common(connection),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': '*',
  });
  reply.raw.end();
  return reply;
}

export function healthBody(path: string, nowMs: number): string {
  if (path === '/api/status') return '{"status": "ok"}';
  const seconds = nowMs / 1000;
  const ts = Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
  return `{"status": "healthy", "service": "anylog-rest-server", "timestamp": ${ts}}`;
}
