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

t.test('the meaning of each code in docs/errors.md is the description registered with it', async (t) => {
  const meanings = Object.fromEntries(
    [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \| (.+?) \|$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  t.same(meanings, ERROR_CODES);
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

t.test(
  'AppError defaults: not retryable, no details, no cause key; subclasses are named after themselves',
  async (t) => {
    const plain = new AppError('ERR_USAGE', 'bad flag');
    t.equal(plain.retryable, false);
    t.same(plain.details, {});
    t.notOk('cause' in plain, 'no cause property when none was given');
    t.equal(plain.message, 'bad flag');
    const detailed = new AppError('ERR_KUBE_API', 'api failed', { details: { status: 409 } });
    t.same(detailed.details, { status: 409 });
    const cfg = new ConfigError(['one', 'two']);
    t.equal(cfg.name, 'ConfigError');
    t.equal(cfg.code, 'ERR_CONFIG_INVALID');
    t.equal(cfg.retryable, false);
    t.equal(cfg.message, 'invalid configuration:\n  - one\n  - two');
    t.ok(cfg instanceof AppError);
  },
);

t.test('toError wraps a non-Error as an internal AppError; isAppError tells the two apart', async (t) => {
  const wrapped = toError(42);
  t.ok(isAppError(wrapped));
  t.equal(isAppError(wrapped) ? wrapped.code : undefined, 'ERR_INTERNAL');
  t.equal(wrapped.message, 'non-error thrown: 42');
  t.equal(isAppError(new Error('x')), false);
  t.equal(isAppError({ code: 'ERR_USAGE' }), false);
});
