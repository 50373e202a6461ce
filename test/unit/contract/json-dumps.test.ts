// Python `json.dumps` text for the literals and the short escapes: a policy's stored and hashed bytes
// depend on every one of them, so each is pinned to what Python prints.
import t from 'tap';
import { dumpsString, jsonDumps } from '../../../src/contract/json-dumps.js';
import { jsonObject } from '../../../src/contract/ordered-json.js';

t.test('true, false and null print as Python prints them', async (t) => {
  t.equal(jsonDumps(true), 'true');
  t.equal(jsonDumps(false), 'false');
  t.equal(jsonDumps(null), 'null');
  t.equal(
    jsonDumps(
      jsonObject([
        ['on', true],
        ['off', false],
        ['none', null],
      ]),
    ),
    '{"on": true, "off": false, "none": null}',
  );
});

t.test('every control character with a short escape uses it', async (t) => {
  t.equal(dumpsString('"\\\n\r\t\b\f'), '"\\"\\\\\\n\\r\\t\\b\\f"');
  t.equal(dumpsString('a\bb\fc'), '"a\\bb\\fc"');
});

t.test('other control characters become \\u escapes', async (t) => {
  t.equal(dumpsString('\u0000\u000b\u001f'), '"\\u0000\\u000b\\u001f"');
});
