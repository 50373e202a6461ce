// scripts/check-coverage.mjs, the coverage gate of `npm test`, run on made-up json-summary reports: it passes
// a report at or over its floors, and fails a missing report, figures under a floor, and a report whose
// line counts show it was computed without the TypeScript text.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../controlplane/src/paths.js';

interface Metric {
  total: number;
  covered: number;
  skipped: number;
  pct: number;
}
const metric = (total: number, covered: number): Metric => ({
  total,
  covered,
  skipped: 0,
  pct: total === 0 ? 100 : (100 * covered) / total,
});

// A real module, so that its line count on disk can be compared with the report's.
const file = join(repoRoot, 'src', 'common', 'backoff.ts');
const fileLines = readFileSync(file, 'utf8').trimEnd().split('\n').length;

function summary(lines: Metric, branches: Metric, functions: Metric, perFileLines = lines): unknown {
  return {
    total: { lines, statements: lines, branches, functions },
    [file]: { lines: perFileLines, statements: perFileLines, branches, functions },
  };
}

function check(t: Test, report: unknown): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'check-coverage-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'coverage-summary.json');
  if (report !== undefined) writeFileSync(path, JSON.stringify(report));
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'check-coverage.mjs'), path], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

t.test('a fully covered report passes and prints the three figures with their floors', async (t) => {
  const full = metric(fileLines, fileLines);
  const r = check(t, summary(full, metric(4, 4), metric(2, 2)));
  t.equal(r.code, 0, r.out);
  t.match(r.out, /^lines +100\.00 % \(\d+\/\d+\), floor [\d.]+ %$/m);
  t.match(r.out, /^branches +100\.00 % \(4\/4\), floor [\d.]+ %$/m);
  t.match(r.out, /^functions +100\.00 % \(2\/2\), floor [\d.]+ %$/m);
});

t.test('every floor is set above zero', async (t) => {
  const r = check(t, summary(metric(fileLines, fileLines), metric(4, 4), metric(2, 2)));
  const floors = [...r.out.matchAll(/^(lines|branches|functions) .*, floor ([\d.]+) %$/gm)];
  t.equal(floors.length, 3, r.out);
  for (const [, name, floor] of floors)
    t.ok(Number(floor) > 0, `${String(name)} has a floor (${String(floor)})`);
});

for (const name of ['lines', 'branches', 'functions'] as const) {
  t.test(`${name} under the floor fail the check`, async (t) => {
    const full = { lines: metric(fileLines, fileLines), branches: metric(4, 4), functions: metric(2, 2) };
    const low = { ...full, [name]: name === 'lines' ? metric(fileLines, 0) : metric(4, 0) };
    const r = check(t, summary(low.lines, low.branches, low.functions, full.lines));
    t.equal(r.code, 1, r.out);
    t.match(r.out, new RegExp(`coverage: ${name} 0\\.00 % is under the floor of [\\d.]+ %`));
  });
}

t.test('a missing report fails the check', async (t) => {
  const r = check(t, undefined);
  t.equal(r.code, 1);
  t.match(r.out, /coverage: no report at /);
});

t.test('a report computed without the TypeScript text fails the check', async (t) => {
  // What a source map without its source text produces: each file collapsed to one line, fully covered.
  const r = check(t, summary(metric(fileLines, fileLines), metric(4, 4), metric(2, 2), metric(1, 1)));
  t.equal(r.code, 1, r.out);
  t.match(r.out, `coverage: src/common/backoff.ts: 1 lines in the report, ${fileLines} in the file`);
  t.match(r.out, 'coverage: not measured on the TypeScript text (1 files)');
});
