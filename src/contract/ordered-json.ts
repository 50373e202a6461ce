// Order-preserving JSON model and reader for policies: object keys keep text order,
// a duplicate key keeps its first position and its last value, integers stay exact (bigint), and the
// literals NaN / Infinity / -Infinity are accepted like Python's json module. Pure; shared by the node's
// ledger code and anything that must compute EdgeLake-compatible ids or text.
import { AppError } from '../common/errors.js';

export type JsonValue = null | boolean | bigint | JsonFloat | string | readonly JsonValue[] | JsonObject;

/** A non-integer JSON number (IEEE double), kept apart from integers for repr (`1.0`). */
export interface JsonFloat {
  readonly kind: 'float';
  readonly value: number;
}

/** An ordered object: entries in key order, unique keys. */
export interface JsonObject {
  readonly kind: 'object';
  readonly entries: Array<[string, JsonValue]>;
}

/** The text is not JSON (Python json.loads would reject it). */
export class JsonSyntaxError extends AppError {
  readonly position: number;
  constructor(message: string, position: number) {
    super('ERR_POLICY_INVALID', `${message} at position ${position}`);
    this.position = position;
  }
}

const MAX_DEPTH = 512;

export function jsonFloat(value: number): JsonFloat {
  return { kind: 'float', value };
}

export function jsonObject(entries: Array<[string, JsonValue]> = []): JsonObject {
  return { kind: 'object', entries };
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'entries' in value;
}

export function isJsonFloat(value: JsonValue | undefined): value is JsonFloat {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value;
}

export function isJsonArray(value: JsonValue | undefined): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/** The value of `key` in an ordered object (undefined when absent). */
export function getKey(obj: JsonObject, key: string): JsonValue | undefined {
  for (const [k, v] of obj.entries) if (k === key) return v;
  return undefined;
}

export function hasKey(obj: JsonObject, key: string): boolean {
  return obj.entries.some(([k]) => k === key);
}

/** A copy without `key`. */
export function withoutKey(obj: JsonObject, key: string): JsonObject {
  return jsonObject(obj.entries.filter(([k]) => k !== key));
}

/** A copy with `key` set: replaced in place when present, appended otherwise. */
export function withKey(obj: JsonObject, key: string, value: JsonValue): JsonObject {
  const entries = obj.entries.map(([k, v]): [string, JsonValue] => (k === key ? [k, value] : [k, v]));
  if (!hasKey(obj, key)) entries.push([key, value]);
  return jsonObject(entries);
}

/** Parse JSON text the way Python's json.loads does, keeping key order and exact integers. */
export function parseOrderedJson(text: string): JsonValue {
  const reader = new Reader(text);
  reader.skipWs();
  const value = reader.value(0);
  reader.skipWs();
  if (reader.pos < text.length) throw new JsonSyntaxError('Extra data', reader.pos);
  return value;
}

/** Like parseOrderedJson but returns undefined instead of throwing. */
export function tryParseOrderedJson(text: string): JsonValue | undefined {
  try {
    return parseOrderedJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return undefined;
    throw err;
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('Nesting too deep', this.pos);
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    return this.literal();
  }

  private literal(): JsonValue {
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.number();
  }

  private number(): JsonValue {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) throw new JsonSyntaxError('Expecting value', this.pos);
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) return BigInt(m[0]);
    return jsonFloat(Number(m[0]));
  }

  private object(depth: number): JsonObject {
    this.pos++;
    const entries: Array<[string, JsonValue]> = [];
    const index = new Map<string, number>();
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return jsonObject(entries);
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError('Expecting property name', this.pos);
      const key = this.string();
      this.skipWs();
      this.expect(':');
      this.skipWs();
      const value = this.value(depth + 1);
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, entries.length);
        entries.push([key, value]);
      } else {
        entries[at] = [key, value];
      }
      if (this.endOf('}')) return jsonObject(entries);
    }
  }

  private array(depth: number): JsonValue[] {
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipWs();
      items.push(this.value(depth + 1));
      if (this.endOf(']')) return items;
    }
  }

  /** After a member: `,` continues (false), the closing bracket ends (true). */
  private endOf(close: string): boolean {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === ',') {
      this.pos++;
      return false;
    }
    if (c === close) {
      this.pos++;
      return true;
    }
    throw new JsonSyntaxError(`Expecting ',' delimiter`, this.pos);
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) throw new JsonSyntaxError(`Expecting '${ch}'`, this.pos);
    this.pos++;
  }

  string(): string {
    const t = this.text;
    const start = ++this.pos;
    let out = '';
    let chunk = start;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) throw new JsonSyntaxError('Invalid control character', this.pos);
      if (c === 0x5c) {
        out += t.slice(chunk, this.pos);
        out += this.escape();
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
    throw new JsonSyntaxError('Unterminated string', start - 1);
  }

  private escape(): string {
    const t = this.text;
    const e = t[this.pos + 1];
    if (e === 'u') {
      const hex = t.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('Invalid \\uXXXX escape', this.pos);
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const mapped = e === undefined ? undefined : ESCAPES[e];
    if (mapped === undefined) throw new JsonSyntaxError('Invalid \\escape', this.pos);
    this.pos += 2;
    return mapped;
  }
}

const LITERALS: ReadonlyArray<readonly [string, JsonValue]> = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['NaN', jsonFloat(NaN)],
  ['Infinity', jsonFloat(Infinity)],
  ['-Infinity', jsonFloat(-Infinity)],
];
