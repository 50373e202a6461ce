// Python `repr()` / `str()` of the order-preserving JSON model. EdgeLake hashes the
// repr of a policy to get its id, and `blockchain get … bring` renders attribute values like `str()`, so
// both must match CPython byte for byte. Pure.
import { isJsonFloat, isJsonObject, type JsonValue } from './ordered-json.js';

/** Python float repr: shortest round-trip digits, positional for exponents -4..15, else d.ddde±XX. */
export function formatPythonFloat(value: number, nonFinite: 'repr' | 'json' = 'repr'): string {
  if (!Number.isFinite(value)) return formatNonFinite(value, nonFinite);
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  return sign + formatFinite(Math.abs(value));
}

function formatFinite(value: number): string {
  const [mantissa = '', expText = '0'] = value.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) return positional(digits, exp);
  const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const expAbs = String(Math.abs(exp)).padStart(2, '0');
  return `${digits[0] ?? ''}${frac}e${exp < 0 ? '-' : '+'}${expAbs}`;
}

function formatNonFinite(value: number, style: 'repr' | 'json'): string {
  const names = style === 'repr' ? ['nan', 'inf', '-inf'] : ['NaN', 'Infinity', '-Infinity'];
  const index = Number.isNaN(value) ? 0 : value > 0 ? 1 : 2;
  return names[index] ?? '';
}

function positional(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

function escapeChar(ch: string, quote: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case quote:
      return `\\${quote}`;
    default:
      break;
  }
  if (ch === ' ' || !NON_PRINTABLE.test(ch)) return ch;
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  if (code <= 0xffff) return `\\u${hex(code, 4)}`;
  return `\\U${hex(code, 8)}`;
}

/** Python repr of a str. */
export function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) out += escapeChar(ch, quote);
  return out + quote;
}

/** Python repr of a JSON value as json.loads would have built it. */
export function pythonRepr(value: JsonValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isJsonFloat(value)) return formatPythonFloat(value.value);
  if (isJsonObject(value)) {
    return `{${value.entries.map(([k, v]) => `${reprString(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  }
  return 'None';
}

/** Python str(): strings as they are, everything else as its repr. */
export function pythonStr(value: JsonValue): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}
