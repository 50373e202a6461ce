// Checks the coverage of src/ recorded by the test suite's first phase (tap's json-summary report): prints
// line, branch and function coverage, the files with the most uncovered lines and the src/ modules no test
// loaded, and exits non-zero when a figure falls under its floor, when the report is missing, or when the
// report was not computed on the TypeScript sources (a source map applied without the source text gives
// every file a line count that differs from the file's own).
// The floors sit a little under the measured figures, so a change that adds code without tests (or drops
// tests) fails while the run-to-run jitter of timing-dependent paths does not; raise them as coverage grows.
import { existsSync, globSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const FLOORS = { lines: 95, branches: 86, functions: 95 };
const WORST = 10; // how many of the least covered files to list

const [file] = process.argv.slice(2);
if (file === undefined || !existsSync(file)) {
  console.log(`coverage: no report at ${String(file)} (the first phase did not finish its coverage report)`);
  process.exit(1);
}
const summary = JSON.parse(readFileSync(file, 'utf8'));
const root = process.cwd();
const pct = (m) => (m.total === 0 ? 100 : (100 * m.covered) / m.total);
const fmt = (m) => `${pct(m).toFixed(2)} % (${m.covered}/${m.total})`;

const { total } = summary;
if (total === undefined) {
  console.log(`coverage: ${file} has no totals`);
  process.exit(1);
}
for (const metric of ['lines', 'branches', 'functions']) {
  console.log(`${metric.padEnd(10)} ${fmt(total[metric])}, floor ${FLOORS[metric]} %`);
}

const files = Object.entries(summary)
  .filter(([name]) => name !== 'total')
  .map(([name, m]) => ({ path: resolve(root, name), name: relative(root, name), lines: m.lines }))
  .map((f) => ({ ...f, uncovered: f.lines.total - f.lines.covered }))
  .sort((a, b) => b.uncovered - a.uncovered || a.name.localeCompare(b.name));
console.log(`least covered of ${files.length} files (uncovered lines, line coverage):`);
for (const f of files.slice(0, WORST).filter((f) => f.uncovered > 0)) {
  console.log(`  ${String(f.uncovered).padStart(5)}  ${pct(f.lines).toFixed(1).padStart(5)} %  ${f.name}`);
}

// A module that no test imports is absent from the report rather than counted as uncovered; name those so
// that they are seen (type-only modules are among them, as they leave nothing to run).
const seen = new Set(files.map((f) => f.path));
const unloaded = globSync('src/**/*.ts', { cwd: root })
  .map((f) => resolve(root, f))
  .filter((f) => !seen.has(f))
  .map((f) => relative(root, f))
  .sort();
if (unloaded.length > 0) console.log(`not loaded by any test (${unloaded.length}): ${unloaded.join(' ')}`);

// The report counts every line of the original text (blank and comment lines included), the way the
// coverage library reads it: trailing whitespace dropped, then split on newlines.
const lineCount = (path) => readFileSync(path, 'utf8').trimEnd().split('\n').length;
const mismatched = files.filter(
  (f) => existsSync(f.path) && f.lines.total + (f.lines.skipped ?? 0) !== lineCount(f.path),
);
for (const f of mismatched.slice(0, WORST)) {
  console.log(`coverage: ${f.name}: ${f.lines.total} lines in the report, ${lineCount(f.path)} in the file`);
}
if (mismatched.length > 0) {
  console.log(`coverage: not measured on the TypeScript text (${mismatched.length} files)`);
}

const low = Object.entries(FLOORS).filter(([metric, floor]) => pct(total[metric]) < floor);
for (const [metric, floor] of low) {
  console.log(`coverage: ${metric} ${pct(total[metric]).toFixed(2)} % is under the floor of ${floor} %`);
}
process.exit(low.length > 0 || mismatched.length > 0 ? 1 : 0);
