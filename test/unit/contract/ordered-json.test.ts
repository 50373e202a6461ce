// The order-preserving JSON reader, Python repr and json.dumps on edge cases beyond the vectors.
import t from 'tap';
import {
  parseOrderedJson,
  tryParseOrderedJson,
  JsonSyntaxError,
  isJsonFloat,
  isJsonObject,
  getKey,
  withKey,
  jsonObject,
} from '../../../src/contract/ordered-json.js';
import { pythonRepr, reprString, formatPythonFloat, pythonStr } from '../../../src/contract/python-repr.js';
import { jsonDumps, dumpsString } from '../../../src/contract/json-dumps.js';

t.test('integers stay exact and floats stay floats', async (t) => {
  t.equal(parseOrderedJson('123456789012345678901234567890'), 123456789012345678901234567890n);
  t.equal(parseOrderedJson('-0'), 0n);
  const f = parseOrderedJson('-0.0');
  t.ok(isJsonFloat(f) && Object.is(f.value, -0));
  const nan = parseOrderedJson('NaN');
  t.ok(isJsonFloat(nan) && Number.isNaN(nan.value));
  const big = parseOrderedJson('1e400');
  t.ok(isJsonFloat(big) && big.value === Infinity);
  t.equal(jsonDumps(parseOrderedJson('[NaN, -Infinity, 1e400, 1.0]')), '[NaN, -Infinity, Infinity, 1.0]');
  t.equal(pythonRepr(parseOrderedJson('[NaN, -Infinity, 1e400]')), '[nan, -inf, inf]');
});

t.test('malformed text is a JsonSyntaxError, never another exception', async (t) => {
  const bad = [
    '',
    '{',
    '{"a" 1}',
    '{"a": 1,}',
    '[1 2]',
    "{'a': 1}",
    'True',
    '"\u0001"',
    '"abc',
    '"\\x"',
    '"\\u12"',
    '01',
    '1.',
    '-',
    '{"a": 1} x',
    '['.repeat(10000),
    '{"a":'.repeat(1000),
  ];
  for (const text of bad) {
    t.throws(() => parseOrderedJson(text), JsonSyntaxError, JSON.stringify(text.slice(0, 20)));
    t.equal(tryParseOrderedJson(text), undefined);
  }
});

t.test('escapes and surrogate pairs are decoded', async (t) => {
  t.equal(parseOrderedJson('"\\ud83d\\ude00 \\/ \\b\\f"'), '\u{1f600} / \b\f');
  t.equal(dumpsString('\u{1f600}/\u007f'), '"\\ud83d\\ude00/\\u007f"');
});

t.test('python repr of strings and floats', async (t) => {
  t.equal(reprString("it's"), `"it's"`);
  t.equal(reprString(`say "hi" it's`), `'say "hi" it\\'s'`);
  t.equal(reprString('\u00a0\u200b\u{e0001}\u{10ffff}'), "'\\xa0\\u200b\\U000e0001\\U0010ffff'");
  t.equal(reprString('é€😀'), "'é€😀'");
  const floats: Array<[number, string]> = [
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [0.1, '0.1'],
    [100, '100.0'],
    [1.5e300, '1.5e+300'],
    [-1e-7, '-1e-07'],
    [123.456, '123.456'],
    [5e-324, '5e-324'],
    [0.0001, '0.0001'],
    [9999999999999998, '9999999999999998.0'],
    [0, '0.0'],
  ];
  for (const [v, s] of floats) t.equal(formatPythonFloat(v), s, s);
  t.equal(pythonStr('x'), 'x');
  t.equal(pythonStr(true), 'True');
});

t.test('object helpers keep order', async (t) => {
  const o = parseOrderedJson('{"b": 1, "a": 2}');
  if (!isJsonObject(o)) throw new Error('not object');
  t.equal(getKey(o, 'a'), 2n);
  t.equal(getKey(o, 'zz'), undefined);
  t.equal(jsonDumps(withKey(o, 'b', 'x')), '{"b": "x", "a": 2}');
  t.equal(jsonDumps(withKey(o, 'c', null)), '{"b": 1, "a": 2, "c": null}');
  t.equal(jsonDumps(jsonObject()), '{}');
});
