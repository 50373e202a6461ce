// needsApply: steady state skips writes, any rendered difference triggers one.
import t from 'tap';
import { isSubset, needsApply } from '../../../../src/operator/anylogmaster/drift.js';

const desired = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'm-config',
    namespace: 'ns',
    labels: { a: '1' },
    ownerReferences: [{ uid: 'u', kind: 'AnyLogMaster', controller: true }],
  },
  data: { x: '1' },
};

t.test('a live object with extra defaulted fields needs no apply', async (t) => {
  const live = {
    ...desired,
    metadata: { ...desired.metadata, uid: 'abc', resourceVersion: '7', labels: { a: '1', b: '2' } },
  };
  t.notOk(needsApply(desired, live));
});

t.test('missing object, changed value, missing label or owner → apply', async (t) => {
  t.ok(needsApply(desired, undefined));
  t.ok(needsApply(desired, { ...desired, data: { x: '2' } }));
  t.ok(needsApply(desired, { ...desired, metadata: { ...desired.metadata, labels: {} } }));
  t.ok(needsApply(desired, { ...desired, metadata: { ...desired.metadata, ownerReferences: [] } }));
});

t.test('lists compare by length and position; empty lists and maps match absent fields', async (t) => {
  t.ok(isSubset([{ a: 1 }], [{ a: 1, b: 2 }]));
  t.notOk(isSubset([{ a: 1 }], [{ a: 1 }, { a: 2 }]));
  t.notOk(isSubset([1, 2], [2, 1]));
  t.ok(isSubset({ list: [], map: {}, nested: { m: {} } }, {}));
  t.notOk(isSubset({ list: [1] }, {}));
  t.ok(isSubset({ a: undefined }, {}));
  t.notOk(isSubset({ a: 1 }, 'x'));
});

t.test('a map counts as empty only when every value is absent or empty', async (t) => {
  t.notOk(isSubset({ spec: { a: { b: 1 } } }, { spec: {} }), 'a missing map with a value is a difference');
  t.ok(needsApply({ ...desired, data: { nested: { x: '1' } } }, { ...desired, data: {} }));
  t.ok(isSubset({ spec: { a: { b: undefined } } }, { spec: {} }), 'a map of absent values is empty');
  t.ok(isSubset({ spec: { a: { b: undefined, c: {} } } }, { spec: {} }));
});

t.test('an empty list or map matches a null live field', async (t) => {
  t.ok(isSubset({ spec: { list: [], map: {} } }, { spec: { list: null, map: null } }));
  t.notOk(isSubset({ spec: { list: [1] } }, { spec: { list: null } }));
});
