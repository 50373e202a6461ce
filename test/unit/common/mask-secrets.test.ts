// maskSecrets on its own: what JSON.stringify would write is what gets walked (toJSON results, expanded
// errors), dates and primitives pass through, arrays and nested objects are masked, cycles become
// "[Circular]" and the input is never changed.
import t from 'tap';
import { maskSecrets } from '../../../src/common/mask-secrets.js';
import { CENSOR } from '../../../src/common/redacted-keys.js';

const expand = (error: Error): object => ({
  kind: 'expanded',
  message: error.message,
  ...Object.fromEntries(Object.entries(error)),
});

t.test('primitives, null and dates are returned as they are', async (t) => {
  for (const v of [1, 'text', true, null, undefined]) t.equal(maskSecrets(v, expand), v);
  const when = new Date(0);
  t.equal(maskSecrets(when, expand), when);
  t.same(maskSecrets({ when }, expand), { when });
});

t.test('a value with toJSON is walked as its JSON form, so secrets inside it are masked', async (t) => {
  const withJson = { toJSON: () => ({ user: 'u', password: 'hidden' }) };
  t.same(maskSecrets({ conn: withJson }, expand), { conn: { user: 'u', password: CENSOR } });
  t.same(maskSecrets({ url: new URL('http://127.0.0.1:8080/a') }, expand), {
    url: 'http://127.0.0.1:8080/a',
  });
  t.same(maskSecrets({ buf: Buffer.from('hi') }, expand), { buf: { type: 'Buffer', data: [104, 105] } });
  const notAFunction = { toJSON: 'text', token: 'x' };
  t.same(
    maskSecrets(notAFunction, expand),
    { toJSON: 'text', token: CENSOR },
    'a toJSON field that is not a function is data',
  );
});

t.test('errors are expanded by the given function and the result is masked', async (t) => {
  const err = Object.assign(new Error('failed'), { secret: 's', code: 'E1' });
  t.same(maskSecrets({ err }, expand), {
    err: { kind: 'expanded', message: 'failed', secret: CENSOR, code: 'E1' },
  });
});

t.test('arrays are walked item by item; secret keys are masked at any depth', async (t) => {
  const record = { list: [{ token: 'a' }, 'plain', [{ secret: 'b' }]], deep: { x: { y: { keyPem: 'c' } } } };
  t.same(maskSecrets(record, expand), {
    list: [{ token: CENSOR }, 'plain', [{ secret: CENSOR }]],
    deep: { x: { y: { keyPem: CENSOR } } },
  });
  t.equal(
    record.list[0] !== undefined && (record.list[0] as { token: string }).token,
    'a',
    'the input is unchanged',
  );
});

t.test('a reference to an enclosing object is cut; the same object twice is not a cycle', async (t) => {
  const cyclic: Record<string, unknown> = { name: 'a' };
  cyclic['self'] = cyclic;
  const list: unknown[] = [1];
  list.push(list);
  const shared = { x: 1 };
  t.same(maskSecrets({ cyclic, list, a: shared, b: [shared, shared] }, expand), {
    cyclic: { name: 'a', self: '[Circular]' },
    list: [1, '[Circular]'],
    a: { x: 1 },
    b: [{ x: 1 }, { x: 1 }],
  });
});
