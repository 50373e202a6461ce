// Unit tests of the operator's pino logger: every secret key masked at every depth (objects, arrays,
// error causes, child bindings), errors expanded with their causes, cycles and shared objects handled.
import t from 'tap';
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { createLogger, silentLogger, type Logger } from '../../../src/common/logger.js';
import { allSecretCases, assertMasked, CENSOR } from './fixtures/nested-secrets.js';

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line !== ''),
      );
      cb();
    },
  });
  return { log: createLogger({ destination: sink, name: 'test' }), lines };
}

t.test('each secret key is masked 0 to 8 levels deep in objects, arrays and error causes', async (t) => {
  const { log, lines } = capture();
  const cases = [...allSecretCases()];
  for (const c of cases) log.info(c.record, c.label);
  t.equal(lines.length, cases.length);
  cases.forEach((c, i) => {
    assertMasked(t, c, lines[i] ?? '{}');
  });
});

t.test('a password five levels deep is masked (beyond what path redaction reached)', async (t) => {
  const { log, lines } = capture();
  log.info({ a: { b: { c: { d: { e: { password: 'hunter2' } } } } } }, 'deep');
  t.notMatch(lines[0], 'hunter2');
  t.match(JSON.parse(lines[0] ?? '{}'), { a: { b: { c: { d: { e: { password: CENSOR } } } } } });
});

t.test('secrets in child bindings, at any depth and in grandchildren, are masked', async (t) => {
  const { log, lines } = capture();
  const child = log.child({
    token: 'child-token',
    conn: { db: { connectionString: 'postgres://u:pw@h/db' } },
  });
  child.child({ deeper: [{ x: { y: { z: { Authorization: 'Bearer grand' } } } }] }).warn('from a grandchild');
  const raw = lines[0] ?? '';
  for (const leak of ['child-token', 'u:pw', 'Bearer grand']) t.notMatch(raw, leak);
  t.match(JSON.parse(raw), {
    token: CENSOR,
    conn: { db: { connectionString: CENSOR } },
    deeper: [{ x: { y: { z: { Authorization: CENSOR } } } }],
    msg: 'from a grandchild',
  });
});

t.test('errors are expanded with their fields and causes; the logged objects are not changed', async (t) => {
  const { log, lines } = capture();
  const inner = Object.assign(new Error('refused'), { code: 'ECONNREFUSED', passwd: 'inner-pw' });
  const err = Object.assign(new Error('ledger unreachable', { cause: inner }), {
    code: 'LEDGER_UNREACHABLE',
    config: { db_passwd: 'outer-pw' },
  });
  log.error({ err, where: 'sync' }, 'failed');
  log.warn(err, 'logged directly');
  for (const raw of lines) {
    t.notMatch(raw, 'inner-pw');
    t.notMatch(raw, 'outer-pw');
    t.match(JSON.parse(raw), {
      err: {
        type: 'Error',
        message: 'ledger unreachable',
        stack: /^Error: ledger unreachable/,
        code: 'LEDGER_UNREACHABLE',
        config: { db_passwd: CENSOR },
        cause: { type: 'Error', message: 'refused', code: 'ECONNREFUSED', passwd: CENSOR },
      },
    });
  }
  t.equal(err.config.db_passwd, 'outer-pw', 'masking works on a copy');
  t.equal(inner.passwd, 'inner-pw');
});

t.test('cycles are cut, shared objects and plain values are logged as they are', async (t) => {
  const { log, lines } = capture();
  const cyclic: Record<string, unknown> = { name: 'a', secret: 's3cr3t' };
  cyclic['self'] = cyclic;
  const shared = { x: 1 };
  log.info({ cyclic, a: shared, b: shared, when: new Date(0), n: 3, s: 'str', none: null }, 'odd');
  const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  t.same(line['cyclic'], { name: 'a', secret: CENSOR, self: '[Circular]' });
  t.same(line['a'], { x: 1 });
  t.same(line['b'], { x: 1 });
  t.match(line, { when: '1970-01-01T00:00:00.000Z', n: 3, s: 'str', none: null, msg: 'odd' });
});

t.test('keys are matched exactly: look-alike keys are logged', async (t) => {
  const { log, lines } = capture();
  log.info({ passwordHint: 'h', tokens: 2, secretName: 'db-secret' }, 'look-alikes');
  t.match(JSON.parse(lines[0] ?? '{}'), { passwordHint: 'h', tokens: 2, secretName: 'db-secret' });
});

t.test('the name and base fields are on every line; without a name there is no name field', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  createLogger({ destination: sink, name: 'op', base: { pod: 'p-1' } }).info('named');
  createLogger({ destination: sink, base: { pod: 'p-2' } }).info('unnamed');
  createLogger({ destination: sink }).info('bare');
  const [named, unnamed, bare] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(named, { name: 'op', pod: 'p-1', msg: 'named', level: 30 });
  t.match(unnamed, { pod: 'p-2', msg: 'unnamed' });
  t.notOk(unnamed !== undefined && 'name' in unnamed);
  t.notOk(bare !== undefined && ('name' in bare || 'pod' in bare));
  t.match(bare?.['time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO time');
});

t.test('the level option filters; silentLogger writes nothing at any level', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ destination: sink, level: 'warn' });
  log.info('dropped');
  log.warn('kept');
  t.equal(lines.length, 1);
  const silent = silentLogger();
  t.equal(silent.level, 'silent');
  t.notOk(silent.isLevelEnabled('fatal'));
});

t.test('fd 2 sends the lines to stderr and none to stdout', async (t) => {
  const module = JSON.stringify(new URL('../../../src/common/logger.ts', import.meta.url).href);
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createLogger } from ${module};
       createLogger({ fd: 2, name: 'to-stderr' }).info({ token: 'x' }, 'on stderr');`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  t.equal(run.status, 0, run.stderr);
  t.equal(run.stdout, '');
  t.match(JSON.parse(run.stderr.trim()), { name: 'to-stderr', msg: 'on stderr', token: CENSOR });
});
