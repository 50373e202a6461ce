// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the top functions by self time and by
// package/file, to find what anylog-node spends its start-up or REST time on.
// Usage: npx tsx bench/node-startup/prof-top.ts <file.cpuprofile> [topN] [untilFunction]
// With untilFunction, only samples before the first one running that function count (e.g. FrontRequest:
// what ran before the first REST request was served).
import { readFileSync } from 'node:fs';

interface ProfNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: prof-top.ts <file.cpuprofile> [topN]');
const top = Number(process.argv[3] ?? '30');
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const until = process.argv[4];
function runs(id: number, fn: string): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    if (byId.get(at)?.callFrame.functionName === fn) return true;
  }
  return false;
}
const self = new Map<number, number>();
let elapsed = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i] ?? 0;
  if (until !== undefined && runs(id, until)) break;
  elapsed += prof.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
if (until !== undefined) process.stdout.write(`until first ${until}: ${(elapsed / 1000).toFixed(1)} ms\n`);

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13);
  const src = url.indexOf('/dist/');
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
}

const fnTotals = new Map<string, number>();
const fileTotals = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id);
  if (n === undefined) continue;
  const url = shortUrl(n.callFrame.url);
  const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
  fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
  const pkg = url.startsWith('dist/')
    ? url
    : url
        .split('/')
        .slice(0, url.startsWith('@') ? 2 : 1)
        .join('/') || '(native)';
  fileTotals.set(pkg, (fileTotals.get(pkg) ?? 0) + us);
}
const total = (prof.endTime - prof.startTime) / 1000;
const fmt = (m: Map<string, number>): string[] =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
process.stdout.write(`total ${total.toFixed(1)} ms\n-- functions (self)\n${fmt(fnTotals).join('\n')}\n`);
process.stdout.write(`-- files/packages (self)\n${fmt(fileTotals).join('\n')}\n`);
