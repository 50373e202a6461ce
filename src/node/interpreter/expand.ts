// Variable expansion of command words: `!name`, suffixes (`.int`, `.float`, `.str`,
// `.bool`, `.len`, `.name`, `.replies`, `.diff`), slices `!name[a:b]`, path expressions `!dir/file`,
// `$NAME` and the escape `!!name`. Pure: variables come through the VarScope lookups.
import type { Token } from './tokenizer.js';

export interface VarLookup {
  get(name: string): string | undefined;
}

export interface VarScope {
  readonly dict: VarLookup;
  readonly env?: VarLookup;
}

export const SUFFIXES: ReadonlySet<string> = new Set([
  'int',
  'float',
  'str',
  'bool',
  'len',
  'name',
  'replies',
  'diff',
]);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;
const SLICE_RE = /^\[(-?\d*):(-?\d*)\]/;

/** A `!name…` or `$NAME…` reference split into its parts. */
export interface VarRef {
  readonly sigil: '!' | '$';
  readonly name: string;
  readonly suffix: string | undefined;
  readonly slice: readonly [string, string] | undefined;
  readonly rest: string;
}

/** Parse a word that starts with `!` or `$`; undefined when it is not a variable reference. */
export function parseVarRef(word: string): VarRef | undefined {
  const sigil = word[0];
  if (sigil !== '!' && sigil !== '$') return undefined;
  const nameMatch = NAME_RE.exec(word.slice(1));
  if (nameMatch === null) return undefined;
  const name = nameMatch[0];
  let pos = 1 + name.length;
  let suffix: string | undefined;
  const suffixMatch = /^\.([a-z]+)(?![A-Za-z0-9_])/.exec(word.slice(pos));
  if (sigil === '!' && suffixMatch?.[1] !== undefined && SUFFIXES.has(suffixMatch[1])) {
    suffix = suffixMatch[1];
    pos += suffixMatch[0].length;
  }
  let slice: readonly [string, string] | undefined;
  const sliceMatch = sigil === '!' ? SLICE_RE.exec(word.slice(pos)) : null;
  if (sliceMatch !== null) {
    slice = [sliceMatch[1] ?? '', sliceMatch[2] ?? ''];
    pos += sliceMatch[0].length;
  }
  return { sigil, name, suffix, slice, rest: word.slice(pos) };
}

/** Python `int(x)`-like conversion to text; '' when invalid. */
export function toIntText(value: string): string {
  const t = value.trim();
  if (/^[+-]?\d+$/.test(t)) return BigInt(t).toString();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)
    ? Math.trunc(n).toString()
    : '';
}

/** Python `str(float(x))`-like conversion; '' when invalid. */
export function toFloatText(value: string): string {
  const t = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return '';
  const n = Number(t);
  if (!Number.isFinite(n)) return '';
  return Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n.toFixed(0)}.0` : String(n);
}

function countEntries(value: string): number {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.length;
    if (parsed !== null && typeof parsed === 'object') return Object.keys(parsed).length;
  } catch {
    // not JSON: count characters below
  }
  return Array.from(value).length;
}

/** Replies / non-replies of a `run client` result (aggregated text or JSON object). */
function countReplies(value: string, responding: boolean): number {
  let labels: string[] = [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      labels = Object.entries(parsed as Record<string, unknown>)
        .filter(([k]) => k !== 'messages')
        .map(([, v]) => (v === 'Not responding' ? 'x' : 'ok'));
    }
  } catch {
    labels = value
      .split('[From Node ')
      .slice(1)
      .map((part) => (/^[^\]]*\]\s*(\r\n)?Not responding\s*$/.test(part) ? 'x' : 'ok'));
  }
  return labels.filter((l) => (l === 'ok') === responding).length;
}

/** Apply a variable suffix (`.int`, `.str`, `.name`, `.len`, …) to a value. */
export function applySuffix(value: string, suffix: string): string {
  switch (suffix) {
    case 'int':
      return toIntText(value);
    case 'float':
      return toFloatText(value);
    case 'bool':
      return value === '' || value.toLowerCase() === 'false' ? 'false' : 'true';
    case 'len':
      return String(countEntries(value));
    case 'name':
      return value.toLowerCase().replace(/ /g, '_');
    case 'replies':
      return String(countReplies(value, true));
    case 'diff':
      return String(countReplies(value, false));
    default:
      return value;
  }
}

/** Python-style character slice `value[a:b]`. */
export function sliceText(value: string, from: string, to: string): string {
  const chars = Array.from(value);
  const norm = (text: string, dflt: number): number => {
    if (text === '') return dflt;
    const n = Number(text);
    return n < 0 ? Math.max(0, chars.length + n) : Math.min(n, chars.length);
  };
  return chars.slice(norm(from, 0), norm(to, chars.length)).join('');
}

/** The value of a variable reference (suffix and slice applied, rest appended). */
export function resolveVarRef(ref: VarRef, scope: VarScope): string {
  const base = ref.sigil === '$' ? scope.env?.get(ref.name) : scope.dict.get(ref.name);
  let value = base ?? '';
  if (ref.suffix !== undefined) value = applySuffix(value, ref.suffix);
  if (ref.slice !== undefined) value = sliceText(value, ref.slice[0], ref.slice[1]);
  return value + ref.rest;
}

/** Expand one plain word. Words not starting with `!`/`$` are returned unchanged. */
export function expandWord(word: string, scope: VarScope): string {
  if (word.startsWith('!!')) return word.slice(1);
  const ref = parseVarRef(word);
  return ref === undefined ? word : resolveVarRef(ref, scope);
}

/** Expand a token: plain words are expanded, quoted and bracket words are kept (dquoted lose quotes). */
export function expandToken(token: Token, scope: VarScope): string {
  return token.kind === 'word' ? expandWord(token.text, scope) : token.text;
}

/** Whether a word is a typed numeric reference (`!x.int`, `!x.float`). */
export function isNumericRef(word: string): boolean {
  const ref = parseVarRef(word);
  return ref !== undefined && (ref.suffix === 'int' || ref.suffix === 'float');
}
