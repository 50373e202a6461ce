// Pure parts of the script language: logical lines, brace blocks, conditions,
// expansion, where clauses and policy variables.
import t from 'tap';
import { toLogicalLines } from '../../../../src/node/interpreter/lines.js';
import { parseProgram } from '../../../../src/node/interpreter/script.js';
import {
  evaluateCondition,
  parseCondition,
  ConditionError,
} from '../../../../src/node/interpreter/conditions.js';
import { expandWord } from '../../../../src/node/interpreter/expand.js';
import { parseWhere, parseTimeValue } from '../../../../src/node/interpreter/where.js';
import { substitutePolicyVariables } from '../../../../src/node/interpreter/policy-vars.js';
import { MapDictionary } from '../../../../src/node/dictionary.js';
import { parseOrderedJson } from '../../../../src/contract/ordered-json.js';
import { addIdAndDate } from '../../../../src/contract/policy-id.js';
import { jsonDumps } from '../../../../src/contract/json-dumps.js';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

t.test('logical lines: prompts, comments, angle blocks, open JSON, continuation', async (t) => {
  const src = [
    'AL > hostname = get hostname',
    'AL anylog-master +> x = 1 # comment',
    '# full comment',
    '<new_policy = {"master": {',
    '   "name": !node_name',
    '}}>',
    'y = {"a": [1,',
    '  2]}',
    'run tcp server where a = 1',
    'and b = 2',
  ].join('\r\n');
  const { lines, error } = toLogicalLines(src);
  t.equal(error, undefined);
  t.same(
    lines.map((l) => [l.line, l.text]),
    [
      [1, 'hostname = get hostname'],
      [2, 'x = 1'],
      [4, 'new_policy = {"master": { "name": !node_name }}'],
      [7, 'y = {"a": [1, 2]}'],
      [9, 'run tcp server where a = 1 and b = 2'],
    ],
  );
  t.same(toLogicalLines('x = 1\n<a = {\n"b": 1').error, {
    line: 2,
    message: "Missing '>' to close the '<' block",
  });
});

t.test('brace blocks link branches; bad nesting is reported at load', async (t) => {
  const ok = parseProgram(
    'if (overlay_network is true {\nprint a\n} else if !x == 1 {\nprint b\n} else {\nprint c\n}\n:l:\n',
    's',
  );
  t.ok(ok.ok);
  if (ok.ok) {
    t.same(
      ok.program.statements.map((s) => s.kind),
      ['if', 'command', 'elseif', 'command', 'else', 'command', 'close', 'label'],
    );
    t.equal(ok.program.labels.get('l'), 7);
  }
  t.match(parseProgram('if a {\nprint a\n', 's'), { ok: false, line: 1 });
  t.match(parseProgram('print a\n}\n', 's'), { ok: false, line: 2 });
  t.match(parseProgram(':a:\n:a:\n', 's'), { ok: false, line: 2 });
  t.match(parseProgram('if a then print b\n', 's'), { ok: true });
});

t.test('conditions', async (t) => {
  const dict = new MapDictionary({ n: '10', s: 'abc', flag: 'TRUE', empty: '', overlay_network: 'true' });
  const scope = { dict, env: { get: (): string | undefined => undefined }, has: (k: string) => dict.has(k) };
  const table: [string, boolean][] = [
    ['!n > 9', true],
    ['!n.int == 10', true],
    ['!s == abc and !n < 5', false],
    ['!s == abc or !n < 5', true],
    ['not !s == abc', false],
    ['(!s contains b) and !s startswith a and !s endswith c', true],
    ['!flag == true', true],
    ['!flag is true', true],
    ['overlay_network is true', true],
    ['!s is not true', true],
    ['n is declared', true],
    ['missing not declared', true],
    ['!empty', false],
    ['!s', true],
    ['"a b" == "a b"', true],
    ['(overlay_network is true', true],
  ];
  for (const [text, expected] of table)
    t.equal(evaluateCondition(parseCondition(text), scope), expected, text);
  t.throws(() => parseCondition('!a is maybe'), ConditionError);
  t.throws(() => parseCondition(''), ConditionError);
  t.throws(() => parseCondition('!a == '), ConditionError);
});

t.test('expansion forms', async (t) => {
  const dict = new MapDictionary({ a: 'New Company', n: '32048', f: '2.5', dir: '/x', list: '[1,2,3]' });
  const scope = { dict, env: { get: (k: string) => (k === 'HOME' ? '/home/u' : undefined) } };
  const table: [string, string][] = [
    ['!a', 'New Company'],
    ['!a.name', 'new_company'],
    ['!n.int', '32048'],
    ['!f.int', '2'],
    ['!n.float', '32048.0'],
    ['!a.len', '11'],
    ['!list.len', '3'],
    ['!empty.bool', 'false'],
    ['!a.bool', 'true'],
    ['!a[0:3]', 'New'],
    ['!a[-7:]', 'Company'],
    ['!dir/file.json', '/x/file.json'],
    ['!!a', '!a'],
    ['!missing', ''],
    ['$HOME/bin', '/home/u/bin'],
    ['$NOPE', ''],
    ['plain', 'plain'],
  ];
  for (const [word, expected] of table) t.equal(expandWord(word, scope), expected, word);
});

t.test('where clauses: typed keys, errors and the closed-set fallback', async (t) => {
  const schema = {
    source: { type: 'enum', values: ['master'], required: true },
    time: { type: 'time' },
    dest: { type: 'enum', values: ['file', 'dbms'], multiple: true },
    connection: { type: 'ip.port' },
    bind: { type: 'bool' },
    threads: { type: 'int', min: 1, max: 100 },
    company: { type: 'str' },
  } as const;
  const dict = new MapDictionary({ blockchain_destination: 'file' });
  const words =
    'source = master and time = 30 seconds and dest = blockchain_destination and dest = dbms and connection = 1.2.3.4:32048 and bind = TRUE and threads = 6 and company = New Company'.split(
      ' ',
    );
  const r = parseWhere(words, schema, { dict, command: 'run blockchain sync' });
  t.ok(r.ok);
  if (r.ok)
    t.same(r.values, {
      source: 'master',
      time: 30,
      dest: ['file', 'dbms'],
      connection: '1.2.3.4:32048',
      bind: true,
      threads: 6,
      company: 'New Company',
    });
  t.match(parseWhere(['x', '=', '1'], schema, { command: 'cmd' }), {
    ok: false,
    result: { code: 2, detail: "Unknown key 'x' in 'cmd'" },
  });
  t.match(parseWhere(['time', '=', '1'], schema), {
    ok: false,
    result: { code: 2, detail: "Missing key 'source'" },
  });
  t.match(parseWhere('source = master and source = master'.split(' '), schema), {
    ok: false,
    result: { code: 2 },
  });
  t.match(parseWhere('source = master and threads = 500'.split(' '), schema), {
    ok: false,
    result: { code: 2 },
  });
  t.match(parseWhere('source master'.split(' '), schema), { ok: false, result: { code: 2 } });
  const term = parseWhere(
    'time = 1 minute task get status'.split(' '),
    { time: { type: 'time' } },
    { isTerminator: (w) => w === 'task' },
  );
  t.match(term, { ok: true, values: { time: 60 }, end: 4 });
  t.equal(parseTimeValue('2 hours'), 7200);
  t.equal(parseTimeValue('1 day'), 86400);
  t.equal(parseTimeValue('5'), 5);
  t.equal(parseTimeValue('five'), undefined);
});

t.test('policy variables', async (t) => {
  const dict = new MapDictionary({
    node_name: 'anylog-master',
    port: '32048',
    flag: 'true',
    quote: 'say "hi"\tnow',
    wrapped: "'single'",
    list: '["a", "b"]',
    empty: '',
  });
  const text =
    '{"master": {"name": !node_name, "port": !port.int, "f": !flag, "q": !quote, "w": !wrapped, "l": !list, "s": "!node_name", "e": !empty, |k|: !missing}}';
  t.equal(
    substitutePolicyVariables(text, dict),
    '{"master": {"name": "anylog-master", "port": 32048, "f": true, "q": "say \\"hi\\" now", "w": "single", "l": ["a", "b"], "s": "!node_name", "e": !empty, "k": !missing}}',
    'a whole-string "!var" stays as written',
  );
  t.equal(substitutePolicyVariables('{"a": "!x in text"}', dict), '{"a": "!x in text"}');
});

t.test('EdgeLake keeps every ! between quotes: same policy and id', async (t) => {
  const entry = edgeLakeEntry('query', 'insert-quoted-variables');
  const dict = new MapDictionary({ zz: 'hello' });
  const policyLine = (entry.input['script'] as string[])[1] ?? '';
  const policyText = policyLine.slice(policyLine.indexOf('=') + 1).trim();
  const substituted = substitutePolicyVariables(policyText, dict);
  t.equal(substituted, policyText, 'nothing substituted inside the strings');
  const expected = entry.edgelake['policy'] as { qstr2: { name: string; id: string } };
  const stored = addIdAndDate(parseOrderedJson(substituted), '2026-12-05T00:00:00.000000Z');
  t.equal(stored.id, expected.qstr2.id, "EdgeLake's id");
  t.match(jsonDumps(stored.policy), `"name": "${expected.qstr2.name}"`);
});
