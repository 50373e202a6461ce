// HTTP/1.1 bytes for the REST socket front: a strict parser for the requests the
// front serves itself (GET or OPTIONS without a body, or POST with a Content-Length body within the body
// limit; origin-form target, unique well-formed headers, Host present) and the answer writer. Anything
// else is `slow`: node:http and the fastify app get the connection, so every odd or invalid request
// keeps node:http's and fastify's exact behaviour.
import type { RestAnswer } from '../rest/handling.js';
import type { FrontAnswer } from './front.js';
import { effectiveHeaders, type Headers } from './headers.js';
import { BoundedMemo } from '../../common/bounded-memo.js';

/**
 * Reason phrases of the statuses REST answers use, node:http's texts (front.test.ts compares each with
 * `STATUS_CODES`). The table is local because reading `STATUS_CODES` loads node:http and its `_http_*` modules,
 * which the socket front exists to keep out of an idle node (idle-builtins.test.ts); an ESM import would also
 * evaluate http's lazy exports (http2, undici).
 */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** node:http's default maximum header size. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** The largest POST body (1 MiB); larger bodies are answered 413 with AnyLog's code 230. */
export const BODY_LIMIT = 1024 * 1024;

export interface ParsedHead {
  readonly kind: 'request';
  readonly method: string;
  readonly url: string;
  /**
   * Lower-case names, values trimmed of spaces and tabs, bytes as latin1 text (as node:http). Frozen:
   * requests with the same head share one object.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The REST rules' view of the headers (headers.ts effectiveHeaders of headers and URL), shared too. */
  readonly decoded: Readonly<Headers>;
  /**
   * A POST's body as fastify's catch-all buffer parser gives it: undefined when there is neither a body
   * nor a Content-Type (fastify then parses nothing), else the bytes (possibly none).
   */
  readonly body: Buffer | undefined;
  /** Offset just after the request (its head's blank line, and the body). */
  readonly end: number;
}

export type HeadResult = ParsedHead | { readonly kind: 'incomplete' } | { readonly kind: 'slow' };

const INCOMPLETE = { kind: 'incomplete' } as const;
const SLOW = { kind: 'slow' } as const;
/**
 * The whole head in one pass: a GET, OPTIONS or POST request line with an origin-form target and HTTP/1.1,
 * then header lines `token ":" value` whose values hold no control character but TAB (RFC 9110).
 * No obs-fold, no bare CR or LF, no space before the colon: node:http gets those.
 */
const HEAD =
  /^(GET|OPTIONS|POST) (\/[\x21-\x7e]*) HTTP\/1\.1((?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*)$/;
/** `a|ab|abc` for `abc`: the non-empty prefixes of a literal, as regex alternatives. */
function prefixesOf(word: string): string {
  const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return Array.from({ length: word.length }, (_, i) => escaped(word.slice(0, i + 1))).join('|');
}

/**
 * A head still arriving that HEAD could yet match: the request line so far, or complete lines that match
 * HEAD and a header line (or the blank line's CR) begun. Anything else goes to node:http at once, which
 * answers a bad head as soon as it sees one, instead of waiting for the blank line.
 */
const PARTIAL_LINE = new RegExp(
  `^(?:${prefixesOf('GET')}|${prefixesOf('OPTIONS')}|${prefixesOf('POST')}|(?:GET|OPTIONS|POST) (?:\\/[\\x21-\\x7e]*(?: (?:${prefixesOf('HTTP/1.1')})?)?)?)\\r?$`,
);
const PARTIAL_HEADER =
  /^(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]*|[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)\r?$/;

function couldBeHead(text: string): boolean {
  const eol = text.lastIndexOf('\r\n');
  if (eol < 0) return PARTIAL_LINE.test(text);
  return HEAD.test(text.slice(0, eol)) && PARTIAL_HEADER.test(text.slice(eol + 2));
}

/** Headers whose presence means a body, an upgrade or a protocol feature node:http must handle. */
const SLOW_HEADERS = new Set(['transfer-encoding', 'expect', 'upgrade', 'http2-settings']);
/** A Content-Length the front takes: plain digits (node:http allows no sign or spaces inside either). */
const LENGTH = /^[0-9]{1,10}$/;
/**
 * A Content-Type fastify's catch-all parser takes as is: `type/subtype` tokens with optional
 * `; name=value` parameters. Anything else (empty, malformed) may get fastify's 415: node:http's path.
 */
const MEDIA_TYPE =
  /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[\t ]*;[\t ]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+=(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|"[\t\x20\x21\x23-\x5b\x5d-\x7e]*"))*$/;

function trimOws(value: string): string {
  let a = 0;
  let b = value.length;
  while (a < b && (value.charCodeAt(a) === 32 || value.charCodeAt(a) === 9)) a++;
  while (b > a && (value.charCodeAt(b - 1) === 32 || value.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === value.length ? value : value.slice(a, b);
}

/**
 * Validated header lines (`\r\n` before each) → lower-case name → trimmed value; undefined: slow
 * (a repeated name, a header only node:http handles, or no Host). A repeated `User-Agent` stays here: the
 * last one counts, as in EdgeLake.
 */
function parseHeaders(block: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  let at = 2;
  while (at < block.length) {
    let eol = block.indexOf('\r\n', at);
    if (eol < 0) eol = block.length;
    const colon = block.indexOf(':', at);
    const name = block.slice(at, colon).toLowerCase();
    if ((name in headers && name !== 'user-agent') || SLOW_HEADERS.has(name)) return undefined;
    headers[name] = trimOws(block.slice(colon + 1, eol));
    at = eol + 2;
  }
  return 'host' in headers ? headers : undefined;
}

type Body = { readonly body: Buffer | undefined; readonly end: number };

/** GET and OPTIONS: no body (a Content-Length other than 0 is node:http's case). */
function noBody(headers: Readonly<Record<string, string>>, end: number): Body | typeof SLOW {
  const length = headers['content-length'];
  return length !== undefined && length !== '0' ? SLOW : { body: undefined, end };
}

/** A POST's body once all of it has arrived; SLOW for shapes the front leaves to node:http and fastify. */
function postBody(
  buf: Buffer,
  headers: Readonly<Record<string, string>>,
  bodyStart: number,
  bodyLimit: number,
): Body | typeof SLOW | typeof INCOMPLETE {
  const length = headers['content-length'];
  if (length === undefined || !LENGTH.test(length)) return SLOW;
  const size = Number(length);
  if (size > bodyLimit) return SLOW;
  const type = headers['content-type'];
  if (type !== undefined && !MEDIA_TYPE.test(type)) return SLOW;
  const end = bodyStart + size;
  if (buf.length < end) return INCOMPLETE;
  if (size === 0 && type === undefined) return { body: undefined, end };
  return { body: buf.subarray(bodyStart, end), end };
}

/** What a head's text alone decides: its request line and headers, or that node:http must have it. */
interface HeadParts {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly decoded: Readonly<Headers>;
}

function splitHead(text: string): HeadParts | typeof SLOW {
  const head = HEAD.exec(text);
  if (head === null) return SLOW;
  const headers = parseHeaders(head[3] ?? '');
  if (headers === undefined) return SLOW;
  const url = head[2] ?? '/';
  const decoded = Object.freeze(effectiveHeaders(headers, url));
  return { method: head[1] ?? '', url, headers: Object.freeze(headers), decoded };
}

/**
 * Recently seen heads by their text: pollers (AnyLog tools, monitors, probes) send the same head byte for
 * byte, and a hit skips the pattern, the header split and the decoding. 256 heads of at most 4 KiB.
 */
const HEADS_SEEN = new BoundedMemo(splitHead, 256, 4096);

/** Parse the request starting at `start` of `buf` (a POST is complete once its whole body is there). */
export function parseHead(buf: Buffer, start: number, bodyLimit = BODY_LIMIT): HeadResult {
  const blank = buf.indexOf('\r\n\r\n', start, 'latin1');
  if (blank < 0) {
    if (buf.length - start > MAX_HEAD_BYTES) return SLOW;
    return couldBeHead(buf.toString('latin1', start)) ? INCOMPLETE : SLOW;
  }
  if (blank - start > MAX_HEAD_BYTES) return SLOW;
  const parts = HEADS_SEEN.get(buf.toString('latin1', start, blank));
  if ('kind' in parts) return SLOW;
  const { method, url, headers, decoded } = parts;
  const body = method === 'POST' ? postBody(buf, headers, blank + 4, bodyLimit) : noBody(headers, blank + 4);
  if ('kind' in body) return body;
  return { kind: 'request', method, url, headers, decoded, body: body.body, end: body.end };
}

let dateSecond = -1;
let dateText = '';

/**
 * The `Date` header value (IMF-fixdate), computed at most once a second as node:http does: toUTCString costs
 * about 1 µs, more than the rest of answerBytes for a small answer.
 */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** Status line and header lines of frozen (shared) header sets, built once each. */
const HEADS = new WeakMap<object, string>();

function headText(answer: RestAnswer): string {
  const shared = Object.isFrozen(answer.headers);
  const cached = shared ? HEADS.get(answer.headers) : undefined;
  if (cached !== undefined && answer.status === 200) return cached;
  let head = `HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? 'unknown'}\r\n`;
  for (const name in answer.headers) head += `${name}: ${answer.headers[name] ?? ''}\r\n`;
  if (shared && answer.status === 200) HEADS.set(answer.headers, head);
  return head;
}

/** Status line, the answer's headers in order, Content-Length (unless no body), Date, blank line, body. */
export function answerBytes(answer: RestAnswer): Buffer {
  const head = headText(answer);
  if (answer.noBody === true) return Buffer.from(`${head}Date: ${httpDate()}\r\n\r\n`, 'latin1');
  const length = Buffer.byteLength(answer.body, 'utf8');
  const top = `${head}content-length: ${length}\r\nDate: ${httpDate()}\r\n\r\n`;
  const out = Buffer.allocUnsafe(top.length + length);
  out.write(top, 0, 'latin1');
  out.write(answer.body, top.length, 'utf8');
  return out;
}

/** The answer's bytes for the socket front, and whether its connection stays open. */
export function frontAnswer(answer: RestAnswer): FrontAnswer {
  return { bytes: answerBytes(answer), keepAlive: answer.keepAlive };
}
