import t from 'tap';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, AppError, ConfigError, toError, isAppError } from '../../../src/common/errors.js';
import { repoRoot } from '../../helpers/vectors.js';

const doc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');

t.test('docs/errors.md lists exactly the registered error codes', async (t) => {
  const documented = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  t.same(documented.sort(), Object.keys(ERROR_CODES).sort());
});

t.test('docs/errors.md lists exactly the condition reasons of src/api/conditions.ts', async (t) => {
  const conditionsPath = join(repoRoot, 'src', 'api', 'conditions.ts');
  t.ok(existsSync(conditionsPath), 'src/api/conditions.ts exists');
  const { REASONS } = await import('../../../src/api/conditions.js');
  const reasons = new Set<string>(Object.values(REASONS));
  const section = doc.slice(doc.indexOf('<!-- reasons:start -->'), doc.indexOf('<!-- reasons:end -->'));
  const documented = new Set([...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1] ?? ''));
  t.same([...documented].sort(), [...reasons].sort());
});

t.test('AppError carries code, retry decision and cause', async (t) => {
  const cause = new Error('boom');
  const err = new AppError('ERR_LEDGER_CONNECT', 'cannot connect', { retryable: true, cause });
  t.equal(err.code, 'ERR_LEDGER_CONNECT');
  t.equal(err.retryable, true);
  t.equal(err.cause, cause);
  t.equal(err.name, 'AppError');
  t.ok(isAppError(err));
  const cfg = new ConfigError(['a is bad', 'b is missing']);
  t.match(cfg.message, /a is bad[\s\S]*b is missing/);
  t.same(cfg.problems, ['a is bad', 'b is missing']);
  t.equal(toError(cause), cause);
  t.match(toError('text').message, 'non-error thrown: text');
});
