// What the policy JSON reader accepts and rejects beyond well-formed values: the four JSON whitespace
// characters around every token, closing brackets that must match, keys and colons that must be there,
// four hex digits after \u, and the nesting limit that keeps a hostile policy from exhausting the stack.
import t from 'tap';
import {
  isJsonObject,
  parseOrderedJson,
  tryParseOrderedJson,
  JsonSyntaxError,
} from '../../../src/contract/ordered-json.js';
import { jsonDumps } from '../../../src/contract/json-dumps.js';

t.test('space, tab, newline and carriage return are skipped around every token', async (t) => {
  for (const ws of [' ', '\t', '\n', '\r', ' \r\n\t ']) {
    const text = [
      '{',
      '"a"',
      ':',
      '[',
      '1',
      ',',
      '{',
      '}',
      ',',
      '[',
      ']',
      ']',
      ',',
      '"b"',
      ':',
      '{',
      '}',
      '}',
    ]
      .map((token) => `${ws}${token}`)
      .join('');
    t.equal(jsonDumps(parseOrderedJson(`${text}${ws}`)), '{"a": [1, {}, []], "b": {}}', JSON.stringify(ws));
  }
});

t.test('malformed containers and keys are rejected, not read as something else', async (t) => {
  const bad = [
    '[1}', // a closing brace ends no array
    '{"a": 1]', // nor does a closing bracket end an object
    '[1 x]',
    '{x": 1}', // a key must start with a quote
    '{"a"x 1}', // and be followed by a colon
    '{"a": 1, x": 2}',
    '"\\u00zz"', // \u takes four hex digits
    '"\\u 123"',
    '"\\u12"',
  ];
  for (const text of bad) {
    t.throws(() => parseOrderedJson(text), JsonSyntaxError, text);
    t.equal(tryParseOrderedJson(text), undefined, text);
  }
  t.equal(parseOrderedJson('"\\u00e9\\u00C9"'), 'éÉ', 'hex digits of either case');
});

t.test('nesting deeper than 512 levels below the top value is a syntax error', async (t) => {
  const arrays = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const objects = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  t.ok(Array.isArray(parseOrderedJson(arrays(513))), '513 nested arrays: the innermost is at depth 512');
  t.throws(() => parseOrderedJson(arrays(514)), { name: 'JsonSyntaxError', message: /Nesting too deep/ });
  t.ok(isJsonObject(parseOrderedJson(objects(512))), '512 nested objects around a value at depth 512');
  t.throws(() => parseOrderedJson(objects(513)), { message: /Nesting too deep/ });
  t.throws(
    () => parseOrderedJson(objects(100_000)),
    JsonSyntaxError,
    'far deeper input is refused, not a stack overflow',
  );
});
