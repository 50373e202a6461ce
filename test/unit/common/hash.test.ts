import t from 'tap';
import { canonicalJson, stableHash } from '../../../src/common/hash.js';

t.test('canonical JSON sorts keys at every depth and drops undefined', async (t) => {
  t.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } }),
    '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
  );
});

t.test('equal values hash equally regardless of key order', async (t) => {
  t.equal(stableHash({ a: 1, b: 2 }), stableHash({ b: 2, a: 1 }));
  t.not(stableHash({ a: 1 }), stableHash({ a: 2 }));
});
