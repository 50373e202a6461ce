// npm run check:drift step: fails when a file of the repository refers to something a clone does not have
// (see scripts/lib/references.ts for the rules). Binary files and the lock file are not read.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findReferenceProblems } from './lib/references.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = /(^|\/)package-lock\.json$|\.(tgz|tar|gz|png|jpg|ico)$/;
// The check's own test writes broken references on purpose.
const EXEMPT = new Set(['test/unit/scripts/references.test.ts']);

const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter((p) => p !== '');
const paths = new Set(listed);
const cache = new Map<string, string | undefined>();
const read = (path: string): string | undefined => {
  if (!cache.has(path)) {
    let text: string | undefined;
    try {
      const raw = readFileSync(join(root, path));
      text = raw.includes(0) ? undefined : raw.toString('utf8');
    } catch {
      text = undefined;
    }
    cache.set(path, text);
  }
  return cache.get(path);
};

const problems = findReferenceProblems(
  { paths, read },
  listed.filter((p) => !SKIP.test(p) && !EXEMPT.has(p)),
);
for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
if (problems.length > 0) {
  console.error(`check:references: ${problems.length} reference(s) a clone cannot follow`);
  process.exit(1);
}
console.log(`check:references: ${listed.length} files refer only to what the repository holds`);
