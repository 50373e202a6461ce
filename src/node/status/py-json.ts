// Python json.dumps spacing for plain status objects (`", "` and `": "`, ensure_ascii), used by the
// `where format = json` forms of status commands. Policies use contract/json-dumps.
export type PlainJson =
  null | boolean | number | string | readonly PlainJson[] | { readonly [key: string]: PlainJson };

function dumpString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** json.dumps(value) with Python's default separators. */
export function pyDumps(value: PlainJson): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return dumpString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${(value as readonly PlainJson[]).map((v) => pyDumps(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, PlainJson>);
  return `{${entries.map(([k, v]) => `${dumpString(k)}: ${pyDumps(v)}`).join(', ')}}`;
}
