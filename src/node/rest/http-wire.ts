// HTTP/1.1 bytes for the REST socket front (anylog-node.md §5.1): a strict parser for the request
// heads the front serves itself (GET or OPTIONS, no body, origin-form target, unique well-formed
// headers, Host present) and the answer writer. Anything else is `slow`: node:http and the fastify app
// get the connection, so every odd or invalid request keeps node:http's exact behaviour.
import { STATUS_CODES } from 'node:http';
import type { RestAnswer } from './handling.js';

/** node:http's default maximum header size. */
export const MAX_HEAD_BYTES = 16 * 1024;

export interface ParsedHead {
  readonly kind: 'request';
  readonly method: string;
  readonly url: string;
  /** Lower-case names, values trimmed of spaces and tabs, bytes as latin1 text (as node:http). */
  readonly headers: Record<string, string>;
  /** Offset just after the head's blank line. */
  readonly end: number;
}

export type HeadResult = ParsedHead | { readonly kind: 'incomplete' } | { readonly kind: 'slow' };

const INCOMPLETE = { kind: 'incomplete' } as const;
const SLOW = { kind: 'slow' } as const;
const REQUEST_LINE = /^(GET|OPTIONS) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters other than TAB, and DEL, are invalid in field values (RFC 9110 §5.5).
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
/** Headers whose presence means a body, an upgrade or a protocol feature node:http must handle. */
const SLOW_HEADERS = new Set(['transfer-encoding', 'expect', 'upgrade', 'http2-settings']);

function trimOws(value: string): string {
  let a = 0;
  let b = value.length;
  while (a < b && (value.charCodeAt(a) === 32 || value.charCodeAt(a) === 9)) a++;
  while (b > a && (value.charCodeAt(b - 1) === 32 || value.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === value.length ? value : value.slice(a, b);
}

/** Header lines → lower-case name → trimmed value; undefined when node:http should see them. */
function parseHeaders(lines: readonly string[]): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1);
    if (!TOKEN.test(name) || BAD_VALUE.test(value) || name in headers || SLOW_HEADERS.has(name))
      return undefined;
    headers[name] = trimOws(value);
  }
  return headers;
}

/** Parse the request head starting at `start` of `buf`. */
export function parseHead(buf: Buffer, start: number): HeadResult {
  const blank = buf.indexOf('\r\n\r\n', start, 'latin1');
  if (blank < 0) return buf.length - start > MAX_HEAD_BYTES ? SLOW : INCOMPLETE;
  if (blank - start > MAX_HEAD_BYTES) return SLOW;
  const lines = buf.toString('latin1', start, blank).split('\r\n');
  const first = REQUEST_LINE.exec(lines[0] ?? '');
  if (first === null) return SLOW;
  const headers = parseHeaders(lines);
  if (headers?.['host'] === undefined) return SLOW;
  const length = headers['content-length'];
  if (length !== undefined && length !== '0') return SLOW;
  return { kind: 'request', method: first[1] ?? '', url: first[2] ?? '/', headers, end: blank + 4 };
}

let dateSecond = -1;
let dateText = '';

/** The `Date` header value, computed at most once a second (as node:http does). */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** Status line, the answer's headers in order, Content-Length (unless no body), Date, blank line, body. */
export function answerBytes(answer: RestAnswer): Buffer {
  let head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'unknown'}\r\n`;
  for (const name in answer.headers) head += `${name}: ${answer.headers[name] ?? ''}\r\n`;
  if (answer.noBody === true) return Buffer.from(`${head}Date: ${httpDate()}\r\n\r\n`, 'latin1');
  const length = Buffer.byteLength(answer.body, 'utf8');
  head += `content-length: ${length}\r\nDate: ${httpDate()}\r\n\r\n`;
  const out = Buffer.allocUnsafe(head.length + length);
  out.write(head, 0, 'latin1');
  out.write(answer.body, head.length, 'utf8');
  return out;
}
