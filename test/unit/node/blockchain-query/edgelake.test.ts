// `blockchain get` against the answers observed on EdgeLake (test/fixtures/edgelake/query.json) over the
// fixture's ledger: bring rendering, the where forms (pair, condition,
// `{…}`), the bring flags min/max/list/children, the comparisons kept on purpose
// and the error codes 181 and 240.
import t from 'tap';
import { runBlockchainGet, type GetOutcome } from '../../../../src/node/blockchain-query/index.js';
import { PolicyIndex } from '../../../../src/node/ledger/policy-index.js';
import { parseLedgerText } from '../../../../src/node/ledger/policy-line.js';
import { tokenize } from '../../../../src/node/interpreter/tokenizer.js';
import { getKey } from '../../../../src/contract/ordered-json.js';
import { pythonStr } from '../../../../src/contract/python-repr.js';
import {
  edgeLakeEntries,
  edgeLakeEntry,
  entryCommand,
  readEdgeLakeFixture,
} from '../../../helpers/edgelake-fixtures.js';

const index = new PolicyIndex(parseLedgerText(readEdgeLakeFixture('query').ledger_file ?? '').policies);
const ctx = { externalIp: '192.0.2.1', internalIp: '10.0.0.9' };

function run(command: string, undefinedVariables?: ReadonlySet<number>): GetOutcome {
  const words = tokenize(command).map((tok) => tok.text);
  return runBlockchainGet(words.slice(2), index, ctx, undefinedVariables ? { undefinedVariables } : {});
}

/** What the command answers: `[]` for no match or an empty bring. */
function answer(command: string): { code: number; text?: string } {
  const out = run(command);
  if (!out.ok) return { code: out.code };
  return { code: 0, text: out.matched.length === 0 || out.text === '' ? '[]' : out.text };
}

const names = (command: string): string[] => {
  const out = run(command);
  return out.ok ? out.matched.map((p) => pythonStr(getKey(p.inner, 'name') ?? '')) : [];
};

t.test('the fixture ledger holds three svc policies and one child', async (t) => {
  t.equal(index.size, 4);
  t.same(names('blockchain get svc'), ['op1', 'op2', 'op3']);
});

t.test('bring rendering answers as EdgeLake', async (t) => {
  const entries = edgeLakeEntries('query', 'bring-');
  t.ok(entries.length >= 9);
  for (const e of entries) {
    const command = entryCommand(e);
    const got = answer(command);
    t.equal(got.code, e.edgelake['code'], `${command}: code`);
    if (e.edgelake['text'] !== undefined) t.equal(got.text, e.edgelake['text'], command);
  }
});

t.test('query features EdgeLake accepts are accepted', async (t) => {
  const entries = edgeLakeEntries('query', 'accepted-');
  t.equal(entries.length, 9);
  for (const e of entries) t.equal(answer(entryCommand(e)).code, e.edgelake['code'], entryCommand(e));
  t.same(names('blockchain get svc where [company] contains acme'), ['op1', 'op2'], 'contains, any case');
  t.same(names('blockchain get svc where name with ["op1","op3"]'), ['op1', 'op3'], 'with a list');
  t.same(names('blockchain get svc where name with op2'), ['op2'], 'with one value');
  t.same(names('blockchain get svc {"name": "op1"}'), ['op1'], 'JSON search');
  t.same(names('blockchain get svc {"name": ["op2", "op3"], "company": "OTHER"}'), ['op3']);
  t.same(names('blockchain get svc where (name = op1)'), ['op1'], 'parentheses');
  t.same(names('blockchain get svc where (name = op1 or name = op3) and not [company] contains other'), [
    'op1',
  ]);
  t.same(names('blockchain get svc where local_ip'), ['op1', 'op2'], 'bare key: has a value');
  t.same(names('blockchain get svc where nothing'), [], 'null is no value');
  t.same(names('blockchain get svc where [company] startswith acme or [company] endswith her'), [
    'op1',
    'op2',
    'op3',
  ]);
  t.equal(answer('blockchain get svc bring.min [*][port]').text, '32148');
  t.equal(answer('blockchain get svc bring.max [*][port]').text, '32152');
  t.equal(answer('blockchain get svc bring.max [*][company]').text, 'acme labs', 'text when not numbers');
  t.equal(answer('blockchain get svc bring.min').text, '[]', 'min without instructions yields nothing');
  t.equal(answer('blockchain get svc bring.list [*][name]').text, '["op1", "op2", "op3"]');
  t.equal(answer('blockchain get svc bring.list [*][local_ip]').text, '["10.0.0.1", "10.0.0.2"]');
  t.equal(answer('blockchain get svc bring.unique.list [*][nothing]').text, '[]');
  const children = answer('blockchain get svc where name = op1 bring.children');
  t.match(children.text, /^\[\{"unit": \{"name": "u1", "parent": "5d9c0a8f1e2b4c6d8e0f1a2b3c4d5e61"/);
  t.equal(answer('blockchain get svc where name = op1 bring.children [*][name]').text, 'u1');
  t.equal(answer('blockchain get svc where name = op2 bring.children').text, '[]', 'no children');
});

t.test('comparisons keep the correct answers', async (t) => {
  const gt = edgeLakeEntry('query', 'compare-bare-key-greater');
  t.same(gt.edgelake['policies'], ['op1', 'op2', 'op3'], 'EdgeLake answers every policy');
  t.same(names(entryCommand(gt)), ['op3'], 'the node answers the policy whose port is above 32150');
  t.same(names('blockchain get svc where port < 32150'), ['op1', 'op2']);
  t.same(names('blockchain get svc where [port] >= 32150'), ['op3']);
  t.same(names('blockchain get svc where port <= 32148'), ['op1', 'op2']);
  t.same(names('blockchain get svc where port != 32148'), ['op3']);
  t.same(names('blockchain get svc where port = 32148.0'), ['op1', 'op2'], '32148.0 equals 32148');
  t.same(names('blockchain get svc where enabled = true'), ['op1'], 'booleans as true/false');
  t.same(names('blockchain get svc where enabled = FALSE'), ['op2']);
  t.same(
    names('blockchain get svc where name = op1 and port > 1'),
    ['op1'],
    'pairs then a comparison: all hold',
  );
});

t.test('an undefined !var as an exact-match value is 240, an incomplete condition 181', async (t) => {
  const undef = edgeLakeEntry('query', 'where-undefined-variable');
  const undefCommand = entryCommand(undef);
  const words = tokenize(undefCommand).map((tok) => tok.raw);
  const at = words.indexOf('!undefined_var') - 2;
  t.equal((run(undefCommand, new Set([at])) as { code?: number }).code, undef.edgelake['code']);
  t.equal(answer(undefCommand).code, 0, 'a defined variable expanded to the same word is a value');
  const incomplete = edgeLakeEntry('query', 'where-incomplete-condition');
  t.equal(answer(entryCommand(incomplete)).code, incomplete.edgelake['code']);
  t.equal(answer('blockchain get svc {"name": !x}').code, 240, 'an unparsable JSON search');
});
