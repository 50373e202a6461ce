// What a REST request says (docs/design/node-runtime.md §5.1–§5.3, §5.6): header values (the last of repeated ones)
// decoded (UTF-8, else ISO-8859-1) and trimmed, URL parameters and JSON-body keys acting as headers, the user agent's
// product, and the HTTP client IP for error bodies.
import { isRecord } from '../../shared/is-record.js';

export type Headers = Record<string, string>;

/** Request headers as node:http gives them: lower-case names, latin1 text values. */
export type RawHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Node hands header bytes as latin1 text; re-decode as UTF-8 when valid. */
export function decodeHeaderValue(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value.trim();
  try {
    return UTF8.decode(Buffer.from(value, 'latin1')).trim();
  } catch {
    return value.trim();
  }
}

function decodeParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Parameters after the first `?`, separated by `?` or `&` (observed URL form). */
export function urlParams(url: string): Headers {
  const at = url.indexOf('?');
  const out: Headers = {};
  if (at < 0) return out;
  for (const part of url.slice(at + 1).split(/[?&]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[decodeParam(part.slice(0, eq)).trim().toLowerCase()] = decodeParam(part.slice(eq + 1)).trim();
  }
  return out;
}

/**
 * node:http's raw header list (name, value, name, value, …) → lower-case name → value, the last of a repeated
 * header winning as in EdgeLake (node:http itself keeps the first `User-Agent` and joins others).
 */
export function lastHeaderValues(rawHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    out[(rawHeaders[i] ?? '').toLowerCase()] = rawHeaders[i + 1] ?? '';
  }
  return out;
}

/** Request headers lower-cased and decoded, with URL parameters acting as headers. */
export function effectiveHeaders(raw: RawHeaders, url: string): Headers {
  const headers: Headers = {};
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === 'string') headers[name] = decodeHeaderValue(value);
    else if (value !== undefined && value.length > 0) headers[name] = decodeHeaderValue(value[0] ?? '');
  }
  if (url.includes('?')) {
    const command = headers['command'];
    Object.assign(headers, urlParams(url));
    if (command !== undefined && command !== '') headers['command'] = command;
  }
  return headers;
}

/** The JSON-body form: an object with a `command` key; its keys act as headers. */
function parseObject(body: Buffer | undefined): object | undefined {
  if (body === undefined || body.length === 0 || body.length > 1024 * 1024) return undefined;
  const text = body.toString('utf8').trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function jsonBodyHeaders(body: Buffer | undefined): Headers | undefined {
  const parsed = parseObject(body);
  if (parsed === undefined) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (!entries.some(([k, v]) => k.toLowerCase() === 'command' && typeof v === 'string')) return undefined;
  const out: Headers = {};
  for (const [k, v] of entries) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[k.toLowerCase()] = String(v).trim();
  }
  return out;
}

/** The agent's product: text before `/` of `AnyLog-Agent` (else `User-Agent`), lower-cased. */
export function agentOf(headers: Headers): { product: string; value: string } {
  const value = headers['anylog-agent'] ?? headers['user-agent'] ?? '';
  const slash = value.indexOf('/');
  return { product: (slash < 0 ? value : value.slice(0, slash)).trim().toLowerCase(), value };
}

/** The client address for error bodies: an IPv4-mapped IPv6 prefix `::ffff:` removed (docs/design/node-runtime.md §5.8). */
export function clientIpOf(address: string | undefined): string {
  const ip = address ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
