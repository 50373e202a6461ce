// Word-level helpers shared by the `blockchain get` parsers: attribute
// key paths, the values of a `with` test, and the words that join or end a where clause. Pure.
import { isJsonArray, tryParseOrderedJson } from '../../contract/ordered-json.js';
import { pythonStr } from '../../contract/python-repr.js';

export const isBringWord = (w: string): boolean => w === 'bring' || w.startsWith('bring.');
export const AND_OR: ReadonlySet<string> = new Set(['and', 'or']);

/** `name`, `a[b]`, `[a][b]` → path elements; undefined when malformed. */
export function parseKeyPath(key: string): string[] | undefined {
  const m = /^([^[\]]*)((?:\[[^[\]]*\])*)$/.exec(key);
  if (m === null) return undefined;
  const head = m[1] ?? '';
  const rest = [...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? '');
  const path = head === '' ? rest : [head, ...rest];
  return path.length === 0 || path.some((p) => p === '') ? undefined : path;
}

/** The values of `key with <value>`: a JSON list's elements, else the value itself. */
export function withValues(value: string): string[] {
  if (value.startsWith('[')) {
    const parsed = tryParseOrderedJson(value);
    if (parsed !== undefined && isJsonArray(parsed)) return parsed.map((v) => pythonStr(v));
  }
  return [value];
}
