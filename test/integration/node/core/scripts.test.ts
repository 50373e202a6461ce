// End-to-end scripts through the real executable (src/bin via tsx): control flow, on-error forms,
// termination message with line number and exit codes.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../helpers/vectors.js';

function runScript(
  text: string,
  env: Record<string, string> = {},
): { code: number | null; out: string; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'al-int-'));
  try {
    const file = join(dir, 'test.al');
    writeFileSync(file, text);
    const r = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'src', 'bin', 'anylog-node.ts'), file],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          NODE_TYPE: 'generic',
          ANYLOG_PATH: dir,
          LOG_LEVEL: 'error',
          INTERNAL_IP: '127.0.0.1',
          ...env,
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('control flow and assignments run to the end (exit 0)', async (t) => {
  const r = runScript(
    [
      'x = 5',
      'if !x.int > 3 then print big',
      'do print also',
      'else print never',
      'y = hello + world',
      'print !y',
      'if (!x == 6) {',
      '  print six',
      '} else if (!x == 5) {',
      '  print five',
      '} else {',
      '  print other',
      '}',
      'call sub',
      'goto end',
      'print skipped',
      ':sub:',
      'print in sub',
      'return',
      ':end:',
      'on error ignore',
      'this is not a command',
      'n = get node name',
      'print name !n',
    ].join('\n'),
  );
  t.equal(r.code, 0, r.err);
  t.match(
    r.out,
    /^big\nalso\nhelloworld\nfive\nin sub\nError: '\[0022\] this is not a command' failed with Unrecognized Command \(1\)/,
  );
  t.match(r.out, /name anylog-generic@127\.0\.0\.1\n$/);
  t.notMatch(r.out, /never|skipped|six|other/);
});

t.test('a failing line without on error terminates the script (exit 1)', async (t) => {
  const r = runScript('print start\n# comment\nget node id\nprint after\n');
  t.equal(r.code, 1);
  t.match(
    r.out,
    "Script terminated: Error: '[0003] get node id --> Error in script without 'on error' instruction' in file",
  );
  t.notMatch(r.out, /after/);
});

t.test('syntax errors are reported before any line runs', async (t) => {
  const r = runScript('print start\nif !x == 1 {\nprint a\n');
  t.equal(r.code, 1);
  t.notMatch(r.out, /start/);
  t.match(r.out, /\[0002\]/);
});

t.test('usage errors exit 2', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'al-int-'));
  const r = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [join(repoRoot, 'src', 'bin', 'anylog-node.ts')],
    {
      env: { PATH: process.env['PATH'] ?? '', ANYLOG_PATH: dir },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  rmSync(dir, { recursive: true, force: true });
  t.equal(r.status, 2);
  t.match(r.stderr, /Missing node type/);
});
