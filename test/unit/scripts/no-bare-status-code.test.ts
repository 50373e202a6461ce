// The `local/no-bare-status-code` lint rule (scripts/eslint/no-bare-status-code.mjs) run with typed linting over
// test/fixtures/lint/bare-status-codes.ts: it reports every line marked `bare` and nothing else.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { repoRoot } from '../../helpers/vectors.js';
import statusCodes from '../../../scripts/eslint/no-bare-status-code.mjs';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'lint', 'bare-status-codes.ts');

t.test('numbers compared with, switched on, cast to or turned into status codes are reported', async (t) => {
  const eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { projectService: true, tsconfigRootDir: repoRoot },
        },
        plugins: { local: statusCodes },
        rules: { 'local/no-bare-status-code': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintFiles([FIXTURE]);
  const expected = readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.endsWith('// bare') ? [i + 1] : []));
  t.equal(expected.length, 7, 'the fixture marks seven bare codes');
  const reported = (result?.messages ?? []).map((m) => {
    t.equal(m.ruleId, 'local/no-bare-status-code', m.message);
    return m.line;
  });
  t.same(reported, expected);
});
