// Mutation testing one folder at a time. The tap runner starts one process per test file (about 2-3 s
// each before a test runs), and a surviving mutant runs every file that covers it, so each folder is
// tested against the unit and contract test files that import one of its modules directly (found by
// dependency-cruiser), not every file that reaches it through other modules. A folder whose modules do
// their work only against a real server (the ledger provisioning against PostgreSQL, which the mutation run
// starts) adds the integration tests that import it directly (`roots`). Each folder has its own
// incremental file and report; Stryker keeps a partial incremental file when interrupted (Ctrl-C), so a
// long folder can be measured in several sittings.
// Usage: tsx scripts/mutation.ts [folder...] [-- stryker options]   (no folder: all of them, in order)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The folders measured, smallest first; `files` are Stryker mutate globs, `reach` a path regex, `roots`
 * test folders searched besides the unit and contract ones.
 */
const FOLDERS: Readonly<Record<string, { files: string[]; reach: string; roots?: string[] }>> = {
  contract: { files: ['src/contract/**/*.ts'], reach: '^src/contract/' },
  framework: {
    files: ['src/operator/framework/{leader-election,health,status}.ts'],
    reach: '^src/operator/framework/(leader-election|health|status)\\.ts$',
  },
  ledger: { files: ['src/ledger/**/*.ts'], reach: '^src/ledger/', roots: ['test/integration/ledger'] },
  common: { files: ['src/common/**/*.ts'], reach: '^src/common/' },
  'node-sync': { files: ['src/node/sync/**/*.ts'], reach: '^src/node/sync/' },
  'node-tcp': { files: ['src/node/tcp/**/*.ts'], reach: '^src/node/tcp/' },
  'node-rest': { files: ['src/node/rest/**/*.ts'], reach: '^src/node/rest/' },
  anylogmaster: { files: ['src/operator/anylogmaster/**/*.ts'], reach: '^src/operator/anylogmaster/' },
};

const TEST_ROOTS = ['test/unit', 'test/contract'];

/** Test files (unit, contract and `roots`) that import a module matching `reach` directly. */
function reachingTests(reach: string, roots: readonly string[] = []): string[] {
  const out = execFileSync(
    'node_modules/.bin/depcruise',
    [
      ...TEST_ROOTS,
      ...roots,
      '--no-config',
      '--ts-pre-compilation-deps',
      '--ts-config',
      'tsconfig.json',
      '--do-not-follow',
      'node_modules',
      '--reaches',
      reach,
      '--output-type',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(out) as { modules: { source: string; dependencies: { resolved: string }[] }[] };
  const target = new RegExp(reach);
  return result.modules
    .filter((m) => m.source.endsWith('.test.ts') && m.dependencies.some((d) => target.test(d.resolved)))
    .map((m) => m.source)
    .sort();
}

function main(argv: string[]): number {
  const dash = argv.indexOf('--');
  const names = dash === -1 ? argv : argv.slice(0, dash);
  const strykerArgs = dash === -1 ? [] : argv.slice(dash + 1);
  const unknown = names.filter((n) => !(n in FOLDERS));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown folder(s): ${unknown.join(' ')}; known: ${Object.keys(FOLDERS).join(' ')}\n`,
    );
    return 2;
  }
  const base = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Record<string, unknown> & {
    tap: Record<string, unknown>;
  };
  mkdirSync('.stryker/configs', { recursive: true });
  let worst = 0;
  for (const name of names.length > 0 ? names : Object.keys(FOLDERS)) {
    const folder = FOLDERS[name];
    if (folder === undefined) continue;
    const testFiles = reachingTests(folder.reach, folder.roots);
    process.stdout.write(`mutation: ${name}: ${folder.files.join(' ')} against ${testFiles.join(' ')}\n`);
    const config = {
      ...base,
      $schema: undefined,
      mutate: folder.files,
      tap: { ...base.tap, testFiles },
      incrementalFile: `.stryker/incremental-${name}.json`,
      htmlReporter: { fileName: `.stryker/report/${name}.html` },
      jsonReporter: { fileName: `.stryker/report/${name}.json` },
    };
    const configFile = `.stryker/configs/${name}.json`;
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const run = spawnSync('node_modules/.bin/stryker', ['run', configFile, ...strykerArgs], {
      stdio: 'inherit',
    });
    worst = Math.max(worst, run.status ?? 1);
  }
  return worst;
}

process.exitCode = main(process.argv.slice(2));
