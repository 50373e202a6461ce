// Counts passed and failed test points in a TAP stream (every depth) and prints "N passed, N failed".
// Failing points are listed first with their subtest path, so a CI log shows what failed even when
// only its tail is kept. Static checks that failed and a non-zero runner exit without a failing point
// count as failures.
import { readFileSync } from 'node:fs';

const [file, failedChecksArg = '0', rcArg = '0'] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
let passed = 0;
let failed = 0;
const names = []; // subtest name per indentation level (4 spaces per level)
const failures = [];
for (const line of text.split('\n')) {
  const sub = /^(\s*)# Subtest: (.*)$/.exec(line);
  if (sub !== null) {
    const depth = Math.floor((sub[1] ?? '').length / 4);
    names.length = depth;
    names[depth] = sub[2];
    continue;
  }
  const m = /^(\s*)(not ok|ok) \d+(?: - (.*))?/.exec(line);
  if (m === null) continue;
  const depth = Math.floor((m[1] ?? '').length / 4);
  const isSkip = /#\s*(SKIP|TODO)/i.test(line);
  if (m[2] === 'ok' && !isSkip) {
    passed += 1;
    continue;
  }
  failed += 1; // a skipped or todo test is not a pass
  const path = [...names.slice(0, depth), m[3] ?? ''].filter((s) => s !== undefined && s !== '');
  failures.push(`${isSkip ? 'skipped' : 'not ok'}: ${path.join(' > ')}`);
}
if (failures.length > 0) {
  console.log(`== failing points (${failures.length})`);
  for (const f of failures.slice(0, 50)) console.log(f);
  if (failures.length > 50) console.log(`... and ${failures.length - 50} more`);
}
failed += Number(failedChecksArg);
const rc = Number(rcArg);
if (rc !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
