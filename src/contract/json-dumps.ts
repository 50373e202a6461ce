// Python `json.dumps` with default options over the order-preserving JSON model:
// the text of every stored, transmitted or returned policy. Separators `, ` and `: `, ensure_ascii
// escapes, Python float repr, NaN/Infinity literals. Pure.
import { isJsonFloat, isJsonObject, type JsonValue } from './ordered-json.js';
import { formatPythonFloat } from './python-repr.js';

const SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/g;

/** A JSON string literal with ensure_ascii escaping (UTF-16 units, so astral chars become surrogate pairs). */
export function dumpsString(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, (ch) => SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

export function jsonDumps(value: JsonValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return dumpsString(value);
  if (Array.isArray(value)) return `[${value.map(jsonDumps).join(', ')}]`;
  if (isJsonFloat(value)) return formatPythonFloat(value.value, 'json');
  if (isJsonObject(value)) {
    return `{${value.entries.map(([k, v]) => `${dumpsString(k)}: ${jsonDumps(v)}`).join(', ')}}`;
  }
  return 'null';
}
