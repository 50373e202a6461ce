import t from 'tap';
import { canonicalJson, sha256Hex, stableHash } from '../../../src/common/hash.js';

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

t.test('keys sort by code unit; arrays keep their order; null and primitives pass through', async (t) => {
  t.equal(canonicalJson({ b: 1, B: 2, a: 3, _: 4 }), '{"B":2,"_":4,"a":3,"b":1}');
  t.equal(canonicalJson({ z: 1, y: 2, x: 3, w: 4 }), '{"w":4,"x":3,"y":2,"z":1}');
  t.equal(canonicalJson([3, 1, 2]), '[3,1,2]');
  t.equal(canonicalJson({ a: null, b: [null, { d: undefined, c: 1 }] }), '{"a":null,"b":[null,{"c":1}]}');
  t.equal(canonicalJson('x'), '"x"');
  t.equal(canonicalJson(null), 'null');
});

t.test('sha256Hex is the lowercase hex SHA-256 of text and bytes', async (t) => {
  const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  t.equal(sha256Hex('abc'), abc);
  t.equal(sha256Hex(new Uint8Array([0x61, 0x62, 0x63])), abc);
  t.equal(stableHash({ b: 1, a: 2 }), sha256Hex('{"a":2,"b":1}'));
});
