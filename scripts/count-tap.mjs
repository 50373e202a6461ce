// Counts passed and failed test points in a TAP stream (every depth) and prints "N passed, N failed".
// Static checks that failed and a non-zero runner exit without a failing point count as failures.
import { readFileSync } from 'node:fs';

const [file, failedChecksArg = '0', rcArg = '0'] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
let passed = 0;
let failed = 0;
for (const line of text.split('\n')) {
  const m = /^\s*(not ok|ok) \d+/.exec(line);
  if (m === null) continue;
  if (/#\s*(SKIP|TODO)/i.test(line)) {
    failed += 1; // a skipped or todo test is not a pass
  } else if (m[1] === 'ok') {
    passed += 1;
  } else {
    failed += 1;
  }
}
failed += Number(failedChecksArg);
const rc = Number(rcArg);
if (rc !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
