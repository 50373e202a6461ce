// Unit tests of the node's JSON-lines logger: pino's line shape, level filtering, secrets masked at any
// depth (also inside arrays and error causes), errors expanded, cycles and odd values never throwing.
import t from 'tap';
import { LineLogger, loggable, type LevelName } from '../../../src/common/line-logger.js';
import { allSecretCases, assertMasked } from './fixtures/nested-secrets.js';

function capture(level: LevelName): { log: LineLogger; lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const log = new LineLogger({
    level,
    name: 'anylog-node',
    write: (line) => raw.push(line),
    now: () => new Date('2026-11-26T10:00:00.000Z'),
  });
  return {
    log,
    raw,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}

t.test('one JSON object per line in pino shape, msg last', async (t) => {
  const c = capture('info');
  c.log.info({ peer: '127.0.0.1:32048', status: 193 }, 'Wrong header structure');
  c.log.warn('plain message');
  t.equal(c.raw.length, 2);
  t.notOk(c.raw[0]?.includes('\n'));
  t.same(c.lines[0], {
    level: 30,
    time: '2026-11-26T10:00:00.000Z',
    name: 'anylog-node',
    peer: '127.0.0.1:32048',
    status: 193,
    msg: 'Wrong header structure',
  });
  t.same(Object.keys(c.lines[0] ?? {}).at(-1), 'msg');
  t.same(c.lines[1], {
    level: 40,
    time: '2026-11-26T10:00:00.000Z',
    name: 'anylog-node',
    msg: 'plain message',
  });
});

t.test('levels below the configured one are dropped; silent drops all', async (t) => {
  const warn = capture('warn');
  warn.log.debug('d');
  warn.log.info('i');
  warn.log.warn('w');
  warn.log.error({ code: 3 }, 'e');
  t.same(
    warn.lines.map((l) => l['level']),
    [40, 50],
  );
  const debug = capture('debug');
  debug.log.debug('d');
  t.equal(debug.lines[0]?.['level'], 20);
  const silent = capture('silent');
  silent.log.error('e');
  t.equal(silent.raw.length, 0);
});

t.test('each secret key is masked 0 to 8 levels deep in objects, arrays and error causes', async (t) => {
  const c = capture('info');
  const cases = [...allSecretCases()];
  for (const one of cases) c.log.info(one.record, one.label);
  t.equal(c.raw.length, cases.length);
  cases.forEach((one, i) => {
    // past its depth limit the line logger writes "[Object]" instead of the container
    assertMasked(t, one, c.raw[i] ?? '{}', '[Object]');
  });
});

t.test('secret keys are masked at any depth, in arrays and error causes', async (t) => {
  const c = capture('info');
  c.log.info(
    {
      password: 'top-secret',
      db: {
        DB_PASSWD: 'leak-p2',
        nested: { token: 'leak-p3', deeper: { a: { b: { c: { authorization: 'leak-p4' } } } } },
      },
      list: [{ secret: 'leak-p5' }, { password: 'leak-p6' }],
      err: Object.assign(new Error('failed', { cause: { connectionString: 'postgres://u:leak-p7@h/db' } }), {
        code: 'LEDGER_UNREACHABLE',
      }),
    },
    'hello',
  );
  const text = c.raw.join('\n');
  for (const secret of ['top-secret', 'leak-p2', 'leak-p3', 'leak-p4', 'leak-p5', 'leak-p6', 'leak-p7'])
    t.notMatch(text, secret, `${secret} is not logged`);
  const line = c.lines[0] ?? {};
  t.equal(line['password'], '******');
  t.match(line['err'], {
    type: 'Error',
    message: 'failed',
    code: 'LEDGER_UNREACHABLE',
    cause: { connectionString: '******' },
  });
  t.match((line['err'] as { stack: string }).stack, /^Error: failed/);
});

t.test('cycles, bigints, functions and deep objects never throw', async (t) => {
  const c = capture('info');
  const cyclic: Record<string, unknown> = { name: 'a' };
  cyclic['self'] = cyclic;
  let deep: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < 50; i++) deep = { next: deep };
  c.log.info({ cyclic, big: 10n ** 20n, fn: () => 1, deep, when: new Date(0) }, 'odd values');
  const line = c.lines[0] ?? {};
  t.same(line['cyclic'], { name: 'a', self: '[Circular]' });
  t.equal(line['big'], '100000000000000000000');
  t.notOk('fn' in line);
  t.equal(line['when'], '1970-01-01T00:00:00.000Z');
  t.match(JSON.stringify(line['deep']), /\[Object\]/);
  // The same object twice (not a cycle) is logged twice.
  const shared = { x: 1 };
  t.same(loggable({ a: shared, b: shared }), { a: { x: 1 }, b: { x: 1 } });
});

t.test('fields cannot overwrite level, time or name', async (t) => {
  const c = capture('info');
  c.log.error({ level: 'spoofed', time: 0, name: 'other', detail: 1 }, 'x');
  t.same(c.lines[0], {
    level: 50,
    time: '2026-11-26T10:00:00.000Z',
    name: 'anylog-node',
    detail: 1,
    msg: 'x',
  });
});

t.test('the depth limit: a container 8 levels down is "[Object]", one 7 levels down is copied', async (t) => {
  t.same(loggable({ a: 1 }, 7), { a: 1 });
  t.equal(loggable({ a: 1 }, 8), '[Object]');
  t.equal(loggable([1], 8), '[Object]');
  // Inside an error and an array the children are one level deeper than their container.
  const err = Object.assign(new Error('e', { cause: { b: 2 } }), { code: { c: 3 } });
  t.match(loggable(err, 7), { type: 'Error', code: '[Object]', cause: '[Object]' });
  t.match(loggable(err, 6), { code: { c: 3 }, cause: { b: 2 } });
  t.same(loggable([[{ d: 4 }]], 6), [['[Object]']]);
  t.same(loggable([[{ d: 4 }]], 5), [[{ d: 4 }]]);
});

t.test('a record that still cannot be serialised gives a line with the message and a logError', async (t) => {
  const c = capture('info');
  // An error's stack is copied as it is; a bigint there makes JSON.stringify throw.
  const odd = Object.assign(new Error('odd'), { stack: 10n as unknown as string });
  c.log.error({ err: odd, peer: 'p' }, 'kept message');
  c.log.error({ err: odd });
  t.same(c.lines[0], {
    level: 50,
    time: '2026-11-26T10:00:00.000Z',
    name: 'anylog-node',
    msg: 'kept message',
    logError: 'fields not serialisable',
  });
  t.equal(c.lines[1]?.['msg'], '', 'without a message, msg is empty');
  t.equal(c.lines[1]?.['logError'], 'fields not serialisable');
});
