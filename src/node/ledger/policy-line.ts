// Reading policies from ledger text: one json.dumps policy per line; empty lines are
// skipped, lines that are not a one-key JSON object are reported to the caller and skipped. Pure.
// A line is checked with the engine's JSON.parse (type and id read from it) and kept as text; the
// order-preserving model is built on first use of `value`/`inner`, so reading or installing a large
// ledger costs one native parse per line and queries parse only the policies they touch.
import { tryParseOrderedJson, getKey, type JsonObject, type JsonValue } from '../../contract/ordered-json.js';
import { policyParts } from '../../contract/policy-id.js';
import { pythonStr } from '../../contract/python-repr.js';
import type { FilePolicy } from '../ports/ledger.js';
import { isRecord } from '../../common/is-record.js';

/** The ordered reader's nesting limit; lines that could exceed it take the ordered reader directly. */
const MAX_DEPTH = 512;

function mayNestTooDeep(line: string): boolean {
  if (line.length <= MAX_DEPTH) return false;
  let open = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) open += 1;
  }
  return open > MAX_DEPTH;
}

/** A policy line with its order-preserving form parsed on demand (and then kept). */
class LinePolicy implements FilePolicy {
  private parsed: { readonly value: JsonValue; readonly inner: JsonObject } | undefined;

  constructor(
    readonly type: string,
    readonly id: string,
    public seq: number,
    readonly line: string,
    parsed?: { readonly value: JsonValue; readonly inner: JsonObject },
  ) {
    this.parsed = parsed;
  }

  /**
   * A top-level attribute of the inner object for indexing: its text when it is a string, `null` when it is
   * present with another type, undefined when absent. Read with JSON.parse without building (or keeping)
   * the ordered model, which gives the same strings and the same last-value-wins for duplicate keys.
   */
  attribute(key: string): string | null | undefined {
    if (this.parsed !== undefined) return attributeOf(getKey(this.parsed.inner, key));
    const raw: unknown = JSON.parse(this.line);
    const inner = isRecord(raw) ? raw[this.type] : undefined;
    if (!isRecord(inner) || !Object.hasOwn(inner, key)) return undefined;
    const v = inner[key];
    return typeof v === 'string' ? v : null;
  }

  get value(): JsonValue {
    return this.model().value;
  }

  get inner(): JsonObject {
    return this.model().inner;
  }

  private model(): { readonly value: JsonValue; readonly inner: JsonObject } {
    if (this.parsed === undefined) {
      const value = tryParseOrderedJson(this.line);
      const parts = value === undefined ? undefined : policyParts(value);
      // The native check accepted the line, so the ordered reader does too; keep a total fallback anyway.
      this.parsed =
        value === undefined || parts === undefined
          ? { value: null, inner: { kind: 'object', entries: [] } }
          : { value, inner: parts.inner };
    }
    return this.parsed;
  }
}

function attributeOf(v: JsonValue | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : null;
}

/** See LinePolicy.attribute; for any FilePolicy. */
export function policyAttribute(policy: FilePolicy, key: string): string | null | undefined {
  return policy instanceof LinePolicy ? policy.attribute(key) : attributeOf(getKey(policy.inner, key));
}

function orderedLine(line: string, seq: number): FilePolicy | undefined {
  const value = tryParseOrderedJson(line);
  if (value === undefined) return undefined;
  const parts = policyParts(value);
  if (parts === undefined) return undefined;
  const id = getKey(parts.inner, 'id');
  return new LinePolicy(parts.type, id === undefined ? '' : pythonStr(id), seq, line, {
    value,
    inner: parts.inner,
  });
}

/** One line as a FilePolicy, or undefined when it is not a one-key policy object. */
export function parsePolicyLine(line: string, seq: number): FilePolicy | undefined {
  if (mayNestTooDeep(line)) return orderedLine(line, seq);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    // NaN / Infinity literals are JSON to Python but not to JSON.parse; the ordered reader decides.
    return orderedLine(line, seq);
  }
  if (!isRecord(raw)) return undefined;
  const keys = Object.keys(raw);
  const type = keys[0];
  if (keys.length !== 1 || type === undefined) return undefined;
  const inner = raw[type];
  if (!isRecord(inner)) return undefined;
  const id = inner['id'];
  if (id === undefined) return new LinePolicy(type, '', seq, line);
  if (typeof id === 'string') return new LinePolicy(type, id, seq, line);
  return orderedLine(line, seq);
}

/** Give a policy its position after a rewrite (policies built by this module only). */
export function renumber(policy: FilePolicy, seq: number): FilePolicy {
  if (policy instanceof LinePolicy) {
    policy.seq = seq;
    return policy;
  }
  return { ...policy, seq };
}

export interface ParsedLedgerText {
  readonly policies: FilePolicy[];
  /** 1-based numbers of lines that were not policies. */
  readonly badLines: number[];
}

/** Split ledger text into policies (file order). */
export function parseLedgerText(text: string): ParsedLedgerText {
  const policies: FilePolicy[] = [];
  const badLines: number[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo += 1;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const policy = parsePolicyLine(line, policies.length);
    if (policy === undefined) badLines.push(lineNo);
    else policies.push(policy);
  }
  return { policies, badLines };
}

/** The file content for a list of policies: each line followed by `\n`. */
export function ledgerText(policies: readonly FilePolicy[]): string {
  const parts: string[] = [];
  for (const p of policies) parts.push(p.line);
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

/**
 * Whether the policy may carry `"ledger": "local"`: a cheap text test that never misses one (json.dumps
 * writes `"ledger": "local"`; any escaped spelling contains a backslash), so merges parse only candidates.
 */
export function mayBeLocal(policy: FilePolicy): boolean {
  const line = policy.line;
  return line.includes('\\') || (line.includes('ledger') && line.includes('local'));
}

/** The policy's `ledger` attribute is `local`. */
export function isLocalPolicy(policy: FilePolicy): boolean {
  return mayBeLocal(policy) && getKey(policy.inner, 'ledger') === 'local';
}
