// What a REST request says beyond its head: JSON-body keys acting as
// headers, the user agent's product, and the HTTP client IP for error bodies. The head itself is read by
// http/headers.ts.
import { isRecord } from '../../common/is-record.js';
import type { Headers } from '../http/headers.js';

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

/** The client address for error bodies: an IPv4-mapped IPv6 prefix `::ffff:` removed. */
export function clientIpOf(address: string | undefined): string {
  const ip = address ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
