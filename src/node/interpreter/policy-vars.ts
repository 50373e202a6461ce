// `!var` substitution inside JSON policy text, used by `blockchain prepare policy`,
// `blockchain insert`, `blockchain push` and `blockchain drop policy`. Pure.
//   substitutePolicyVariables('{"master": {"name": !node_name, "port": !port.int}}', dict)
// Outside strings, `!word` after a space, `:`, `[`, `{` (or at the start) is replaced: `.int`/`.float`
// values, `true`/`false` and JSON list/object values unquoted, anything else as a JSON string literal.
// Every `!` between double quotes stays as written (`"!word"` included), as on EdgeLake, so a script
// gives the same policy and id on both. `|` of the original text becomes `"`. Undefined or empty
// variables are left as written (the JSON then fails to parse, as on EdgeLake).
import { applySuffix, type VarLookup } from './expand.js';

const WORD_RE = /^![A-Za-z0-9_.]+/;
const BEFORE = new Set([' ', ':', '[', '{', '\t', '\n', ',']);

function lookup(word: string, dict: VarLookup): { value: string; typed: boolean } | undefined {
  const body = word.slice(1);
  const dot = body.indexOf('.');
  const name = dot < 0 ? body : body.slice(0, dot);
  const suffix = dot < 0 ? undefined : body.slice(dot + 1);
  const raw = dict.get(name);
  if (raw === undefined || raw === '') return undefined;
  if (suffix === undefined || suffix === '') return { value: raw, typed: false };
  const value = applySuffix(raw, suffix);
  if (value === '') return undefined;
  return { value, typed: suffix === 'int' || suffix === 'float' };
}

/** The JSON text of a substituted value outside strings. */
export function policyValueText(value: string, typed: boolean): string {
  if (typed) return value;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower;
  if ((value.startsWith('[') && value.endsWith(']')) || (value.startsWith('{') && value.endsWith('}')))
    return value;
  return JSON.stringify(unwrapQuotes(value).replace(/[\n\t]/g, ' '));
}

function unwrapQuotes(value: string): string {
  if (value.length < 2) return value;
  const first = value[0];
  return (first === "'" || first === '`') && value.endsWith(first) ? value.slice(1, -1) : value;
}

/** Index after the JSON string starting at `start` (a `"`), honouring backslash escapes. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}

function literal(segment: string): string {
  return segment.replace(/\|/g, '"');
}

interface Step {
  readonly next: number;
  readonly replacement?: string;
}

/** A character outside strings: an `!word` after a delimiter is replaced when defined. */
function wordStep(text: string, i: number, dict: VarLookup): Step {
  const prev = i === 0 ? ' ' : (text[i - 1] ?? '');
  const match = text[i] === '!' && BEFORE.has(prev) ? WORD_RE.exec(text.slice(i)) : null;
  const hit = match === null ? undefined : lookup(match[0], dict);
  if (match === null || hit === undefined) return { next: i + 1 };
  return { next: i + match[0].length, replacement: policyValueText(hit.value, hit.typed) };
}

/** Substitute `!vars` in policy text. */
export function substitutePolicyVariables(text: string, dict: VarLookup): string {
  let out = '';
  let i = 0;
  let pending = 0;
  while (i < text.length) {
    const step = text[i] === '"' ? { next: stringEnd(text, i) } : wordStep(text, i, dict);
    if (step.replacement !== undefined) {
      out += literal(text.slice(pending, i)) + step.replacement;
      pending = step.next;
    }
    i = step.next;
  }
  return out + literal(text.slice(pending));
}
