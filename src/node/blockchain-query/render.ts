// Output forms of `blockchain get` (vectors/blockchain-get.json): json.dumps list,
// `bring` instructions with separators, `.json`, `.count`, `.unique`, `.ip_port`, `.table`, `.min`, `.max`,
// `.list`. Missing, null and empty values produce nothing, as on EdgeLake; an empty text means "no output"
// (the command answers `[]`). Pure.
import { jsonDumps } from '../../contract/json-dumps.js';
import { getKey, isJsonFloat, type JsonValue } from '../../contract/ordered-json.js';
import { pythonStr } from '../../contract/python-repr.js';
import type { FilePolicy } from '../ports/ledger.js';
import { hasValue, lookupPath } from './evaluate.js';
import type { Bring, Instruction } from './parse.js';
import { renderTable, type Cell } from './table.js';
import { isLocalNetwork } from '../../contract/local-network.js';

export interface RenderContext {
  /** This node's external and internal IPs (for `.ip_port`). */
  readonly externalIp: string;
  readonly internalIp: string;
}

/** `[]` and `[*]` alone name the policy type. */
function isTypePath(path: readonly string[]): boolean {
  return path.length === 1 && (path[0] === '' || path[0] === '*');
}

function attrValue(policy: FilePolicy, alternatives: readonly (readonly string[])[]): JsonValue | undefined {
  for (const path of alternatives) {
    if (isTypePath(path)) return policy.type;
    const v = lookupPath(policy, path);
    if (v !== undefined) return v;
  }
  return undefined;
}

function instructionText(policy: FilePolicy, ins: Instruction): string {
  if (ins.kind === 'literal') return ins.text;
  const v = attrValue(policy, ins.alternatives);
  return hasValue(v) && v !== undefined ? pythonStr(v) : '';
}

function lastKey(ins: Instruction & { kind: 'attr' }): string {
  const path = ins.alternatives[0] ?? [];
  return isTypePath(path) ? 'policy' : (path[path.length - 1] ?? 'policy');
}

type Entry = Array<[string, JsonValue]>;

/** One object per policy with a value; `.null` (implied by `.table`) fills missing keys with `""`. */
function jsonEntries(policies: readonly FilePolicy[], bring: Bring): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const fill = bring.flags.has('null') || bring.flags.has('table');
  for (const p of policies) {
    const entry: Entry = [];
    for (const ins of bring.instructions) {
      if (ins.kind !== 'attr') continue;
      const v = attrValue(p, ins.alternatives);
      if (hasValue(v) && v !== undefined) entry.push([lastKey(ins), v]);
      else if (v === undefined && fill) entry.push([lastKey(ins), '']);
    }
    if (entry.length === 0) continue;
    const text = dumpEntry(entry);
    if (bring.flags.has('unique') && seen.has(text)) continue;
    seen.add(text);
    entries.push(entry);
  }
  return entries;
}

function dumpEntry(entry: Entry): string {
  return jsonDumps({ kind: 'object', entries: entry });
}

function tableCell(v: JsonValue | undefined): Cell {
  if (v === undefined || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isJsonFloat(v)) return v.value;
  return pythonStr(v);
}

function renderJsonTable(entries: readonly Entry[], bring: Bring): string {
  const titles: string[] = [];
  for (const ins of bring.instructions) {
    if (ins.kind === 'attr' && !titles.includes(lastKey(ins))) titles.push(lastKey(ins));
  }
  const rows = entries.map((e) => titles.map((t) => tableCell(e.find(([k]) => k === t)?.[1])));
  if (bring.flags.has('sort'))
    rows.sort((a, b) => (a.map(String).join('\0') < b.map(String).join('\0') ? -1 : 1));
  const caps = titles.map((t) => (t === '' ? t : (t[0] ?? '').toUpperCase() + t.slice(1).toLowerCase()));
  return renderTable(caps, rows);
}

function ipPort(policy: FilePolicy, ctx: RenderContext): string | undefined {
  const inner = policy.inner;
  const str = (k: string): string | undefined => {
    const v = getKey(inner, k);
    return v === undefined ? undefined : pythonStr(v);
  };
  const ip = str('ip');
  const port = str('port');
  const localIp = str('local_ip');
  const localPort = str('local_port');
  if (ip !== undefined && port !== undefined) {
    if (isLocalNetwork(ip) || ip !== ctx.externalIp) return `${ip}:${port}`;
    return `${localIp ?? ctx.internalIp}:${localPort ?? port}`;
  }
  const p = localPort ?? port;
  return localIp !== undefined && p !== undefined ? `${localIp}:${p}` : undefined;
}

function uniqueFilter(items: readonly string[], unique: boolean): string[] {
  return unique ? [...new Set(items)] : [...items];
}

function joinWithSeparator(outputs: readonly string[], separator: string | undefined): string {
  let out = '';
  let seenNonEmpty = false;
  for (const o of outputs) {
    out += seenNonEmpty && separator !== undefined ? separator + o : o;
    if (o !== '') seenNonEmpty = true;
  }
  return out;
}

/** EdgeLake's `.min`/`.max`: numbers when both sides parse as numbers, else text. */
function better(candidate: string, current: string, max: boolean): boolean {
  const a = Number(candidate);
  const b = Number(current);
  const numeric = candidate.trim() !== '' && current.trim() !== '' && !Number.isNaN(a) && !Number.isNaN(b);
  if (numeric) return max ? a > b : a < b;
  return max ? candidate > current : candidate < current;
}

function renderExtreme(policies: readonly FilePolicy[], bring: Bring): string {
  const max = bring.flags.has('max');
  let best = '';
  for (const p of policies) {
    for (const ins of bring.instructions) {
      if (ins.kind !== 'attr') continue;
      const text = instructionText(p, ins);
      if (text !== '' && (best === '' || better(text, best, max))) best = text;
    }
  }
  return best;
}

function renderInstructions(policies: readonly FilePolicy[], bring: Bring): string {
  const flags = bring.flags;
  if (flags.has('json') || flags.has('table') || flags.has('count')) {
    const entries = jsonEntries(policies, bring);
    if (flags.has('table')) return renderJsonTable(entries, bring);
    // With instructions the count is always of JSON entries, in the JSON form (observed on EdgeLake).
    if (flags.has('count')) return `[{"count" : ${entries.length} }]`;
    return `[${entries.map(dumpEntry).join(',')}]`;
  }
  if (flags.has('min') || flags.has('max')) return renderExtreme(policies, bring);
  const outputs = policies.map((p) => bring.instructions.map((ins) => instructionText(p, ins)).join(''));
  const kept = uniqueFilter(outputs, flags.has('unique'));
  if (flags.has('list')) {
    const items = kept.filter((o) => o !== '');
    return `[${items.map((o) => jsonDumps(o)).join(', ')}]`;
  }
  return joinWithSeparator(kept, bring.separator);
}

function renderFlagsOnly(policies: readonly FilePolicy[], bring: Bring, ctx: RenderContext): string {
  const flags = bring.flags;
  if (flags.has('min') || flags.has('max')) return '';
  if (flags.has('ip_port')) {
    const list = policies.flatMap((p) => ipPort(p, ctx) ?? []);
    const kept = uniqueFilter(list, flags.has('unique'));
    return flags.has('count') ? String(kept.length) : kept.join(',');
  }
  const unique = flags.has('unique');
  if (flags.has('count')) {
    const n = unique ? new Set(policies.map((p) => p.line)).size : policies.length;
    return flags.has('json') ? `[{"count" : ${n} }]` : String(n);
  }
  return flags.has('json')
    ? `[${joinLines(policies, ',', unique)}]`
    : `[${joinLines(policies, ', ', unique)}]`;
}

function joinLines(policies: readonly FilePolicy[], separator: string, unique: boolean): string {
  const lines = policies.map((p) => p.line);
  return (unique ? [...new Set(lines)] : lines).join(separator);
}

/** The output text for matching policies (at least one). */
export function renderGet(
  policies: readonly FilePolicy[],
  bring: Bring | undefined,
  ctx: RenderContext,
): string {
  if (bring === undefined) return `[${joinLines(policies, ', ', false)}]`;
  if (bring.instructions.length === 0) return renderFlagsOnly(policies, bring, ctx);
  return renderInstructions(policies, bring);
}
