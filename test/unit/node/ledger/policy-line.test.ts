// Reading ledger lines: the native-parse fast path must accept, reject and identify exactly
// the lines the order-preserving reader does, and its lazily built `value`/`inner` must equal the ordered
// model (key order, exact integers, floats, duplicate keys, NaN literals, deep nesting).
import t, { type Test } from 'tap';
import {
  policyAttribute,
  parsePolicyLine,
  parseLedgerText,
  isLocalPolicy,
  ledgerText,
} from '../../../../src/node/ledger/policy-line.js';
import { parseOrderedJson, tryParseOrderedJson, getKey } from '../../../../src/contract/ordered-json.js';
import { policyParts } from '../../../../src/contract/policy-id.js';
import { pythonStr } from '../../../../src/contract/python-repr.js';
import { jsonDumps } from '../../../../src/contract/json-dumps.js';
import { readVectorJson } from '../../../helpers/vectors.js';

/** What the ordered reader alone says about a line. */
function reference(line: string): { type: string; id: string; dumps: string } | undefined {
  const value = tryParseOrderedJson(line);
  const parts = value === undefined ? undefined : policyParts(value);
  if (value === undefined || parts === undefined) return undefined;
  const id = getKey(parts.inner, 'id');
  return { type: parts.type, id: id === undefined ? '' : pythonStr(id), dumps: jsonDumps(value) };
}

function check(t: Test, line: string, label: string): void {
  const ref = reference(line);
  const got = parsePolicyLine(line, 7);
  if (ref === undefined) {
    t.equal(got, undefined, `${label}: rejected like the ordered reader`);
    return;
  }
  t.ok(got, `${label}: accepted like the ordered reader`);
  if (got === undefined) return;
  t.same([got.type, got.id, got.seq, got.line], [ref.type, ref.id, 7, line], `${label}: type, id, line`);
  t.equal(jsonDumps(got.value), ref.dumps, `${label}: value equals the ordered model`);
  t.equal(
    jsonDumps(got.inner),
    jsonDumps(policyParts(parseOrderedJson(line))?.inner ?? null),
    `${label}: inner`,
  );
}

const deep = `{"a": {"x": ${'['.repeat(600)}${']'.repeat(600)}}}`;
const lines: [string, string][] = [
  ['plain', '{"master": {"name": "m", "port": 32048, "id": "abc", "date": "d"}}'],
  ['no id', '{"t": {"name": "m"}}'],
  ['numeric id', '{"t": {"id": 12345678901234567890123, "n": 1}}'],
  ['float id', '{"t": {"id": 1.0}}'],
  ['floats and exact ints', '{"t": {"f": 1.0, "e": 1e-7, "big": 123456789012345678901234567890, "neg": -0}}'],
  ['integer-like keys keep text order', '{"t": {"b": 1, "2": 2, "10": 3, "a": 4}}'],
  ['duplicate keys: first position, last value', '{"t": {"a": 1, "b": 2, "a": 3}}'],
  ['duplicate type key', '{"t": {"a": 1}, "t": {"b": 2}}'],
  ['NaN literal (Python accepts)', '{"t": {"x": NaN, "y": -Infinity, "id": "q"}}'],
  ['unicode and escapes', '{"t": {"s": "caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\", "id": "\\u0061b"}}'],
  ['two keys', '{"a": {}, "b": {}}'],
  ['inner not an object', '{"a": [1]}'],
  ['inner null', '{"a": null}'],
  ['not an object', '[{"a": {}}]'],
  ['not JSON', "{'a': {}}"],
  ['trailing garbage', '{"a": {}} x'],
  ['control character', '{"a": {"s": "\u0001"}}'],
  ['whitespace around', '  {"a": {"id": "x"}}  '],
  ['__proto__ type', '{"__proto__": {"id": "p"}}'],
  ['too deep for the ordered reader', deep],
  ['long but shallow', `{"a": {"s": "${'x'.repeat(2000)}", "id": "long"}}`],
];

t.test('fast path agrees with the ordered reader', async (t) => {
  for (const [label, line] of lines) check(t, line, label);
});

t.test('policy-id vectors parse alike', async (t) => {
  const vectors = readVectorJson('policy-ids.json') as {
    cases: { name: string; input: string; output?: string }[];
  };
  for (const c of vectors.cases) {
    check(t, c.input, `${c.name} input`);
    if (c.output !== undefined) check(t, c.output, `${c.name} output`);
  }
});

t.test('ledger text: line numbers of bad lines, CR LF, no trailing newline', async (t) => {
  const parsed = parseLedgerText('{"a": {"id": "1"}}\r\nbad\n\n{"b": {"id": "2"}}');
  t.same(
    parsed.policies.map((p) => [p.type, p.id, p.seq, p.line]),
    [
      ['a', '1', 0, '{"a": {"id": "1"}}'],
      ['b', '2', 1, '{"b": {"id": "2"}}'],
    ],
  );
  t.same(parsed.badLines, [2]);
  t.equal(ledgerText(parsed.policies), '{"a": {"id": "1"}}\n{"b": {"id": "2"}}\n');
  t.equal(ledgerText([]), '');
});

t.test('isLocalPolicy finds every spelling of "ledger": "local"', async (t) => {
  const local = (line: string): boolean => {
    const p = parsePolicyLine(line, 0);
    return p !== undefined && isLocalPolicy(p);
  };
  t.ok(local('{"a": {"id": "1", "ledger": "local"}}'));
  t.ok(local('{"a": {"id": "1", "\\u006cedger": "\\u006cocal"}}'), 'escaped key and value');
  t.notOk(local('{"a": {"id": "1", "ledger": "global"}}'));
  t.notOk(local('{"a": {"id": "1", "note": "ledger local"}}'), 'the words elsewhere are not the attribute');
  t.notOk(local('{"a": {"id": "1"}}'));
});

t.test('index attributes read without the ordered model equal the ordered model', async (t) => {
  const keys = ['id', 'name', 'a', 'x', 's', 'f', 'neg', 'toString', '__proto__', 'missing'];
  for (const [label, line] of lines) {
    const fresh = parsePolicyLine(line, 0);
    const ordered = parsePolicyLine(line, 0);
    if (fresh === undefined || ordered === undefined) continue;
    const inner = ordered.inner; // builds the ordered model on this copy only
    for (const key of keys) {
      const v = getKey(inner, key);
      const expected = v === undefined ? undefined : typeof v === 'string' ? v : null;
      t.equal(policyAttribute(fresh, key), expected, `${label}: [${key}]`);
    }
  }
});
