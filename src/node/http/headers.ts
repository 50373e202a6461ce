// How the REST port reads an HTTP request head: header values (the last of
// repeated ones) decoded (UTF-8, else ISO-8859-1) and trimmed, and URL parameters acting as headers. Both the socket
// front's parser and the node:http path read heads through these, so a request is parsed in this folder only.

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
