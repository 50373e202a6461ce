// The shared record guard: objects yes; null, arrays and primitives no.
import t from 'tap';
import { asRecord, isRecord } from '../../../src/common/is-record.js';

t.test('isRecord accepts objects only', async (t) => {
  t.ok(isRecord({}));
  t.ok(isRecord({ a: 1 }));
  t.ok(isRecord(Object.create(null)));
  for (const v of [null, undefined, [], [1], 'x', 1, true]) t.notOk(isRecord(v), String(v));
});

t.test('asRecord keeps a record and turns anything else into an empty one', async (t) => {
  const r = { a: 1 };
  t.equal(asRecord(r), r);
  t.same(asRecord([1]), {});
  t.same(asRecord(null), {});
});
