// `blockchain get` parsing and evaluation rules beyond the vectors: errors are code 2 with a detail,
// comparisons follow EdgeLake's rules (numeric, `*`, lists, case-insensitive, missing attribute), `.json` with `.null`.
import t from 'tap';
import { parseBlockchainGet, runBlockchainGet } from '../../../../src/node/blockchain-query/index.js';
import { PolicyIndex } from '../../../../src/node/ledger/policy-index.js';
import { parseLedgerText } from '../../../../src/node/ledger/policy-line.js';

const text = [
  '{"operator": {"name": "Op1", "port": 10, "tags": ["a", "B"], "flag": true, "ip": "10.0.0.5", "local_ip": "10.0.0.5", "id": "o1"}}',
  '{"operator": {"name": "op2", "port": 20.5, "cluster": "*", "ip": "8.8.4.4", "local_ip": "10.1.1.1", "local_port": 99, "id": "o2"}}',
  '{"operator": {"name": "op3", "nested": {"k": "v"}, "id": "o3"}}',
].join('\n');
const index = new PolicyIndex(parseLedgerText(text).policies);
const ctx = { externalIp: '8.8.4.4', internalIp: '10.9.9.9' };
const q = (command: string): string => {
  const out = runBlockchainGet(command.split(' '), index, ctx);
  return out.ok ? out.text : `ERR ${out.code} ${out.detail}`;
};

t.test('structure errors are code 2 with a detail; an unparsable condition is 181', async (t) => {
  t.match(q('operator bring.bogus'), /^ERR 2 Unrecognized 'bring' directive: 'bogus'/);
  t.match(
    q('operator where name = a or name = b'),
    /^ERR 2/,
    'or after a pair: EdgeLake reads it as a bring word',
  );
  t.match(q('operator where name ~ x'), /^ERR 181/);
  t.match(q('operator extra'), /^ERR 2/);
  t.notOk(parseBlockchainGet([]).ok);
  t.notOk(parseBlockchainGet(['where']).ok);
});

t.test('comparison rules', async (t) => {
  t.equal(q('operator where name = OP1 bring [*][id]'), 'o1', 'case-insensitive');
  t.equal(q('operator where port > 15 bring [*][id]'), 'o2', 'numeric');
  t.equal(q('operator where port >= 10 bring [*][id] separator = ,'), 'o1,o2');
  t.equal(q('operator where tags = b bring [*][id]'), 'o1', 'list element');
  t.equal(q('operator where cluster = anything bring [*][id]'), 'o2', 'policy * matches');
  t.equal(q('operator where flag = TRUE bring [*][id]'), 'o1', 'booleans as true/false');
  t.equal(q('operator where nested[k] = v bring [*][id]'), 'o3', 'nested path');
  t.equal(q('operator where [nested][k] = V bring [*][id]'), 'o3');
  t.equal(q('operator where missing = x bring [*][id]'), '[]', 'missing attribute never matches');
  t.equal(q('operator where name != op2 bring.count'), '2');
});

t.test('bring forms', async (t) => {
  t.equal(q('operator bring.last [*][id]'), 'o3');
  t.equal(
    q('operator bring.json.null [*][name] [*][port]'),
    '[{"name": "Op1", "port": 10},{"name": "op2", "port": 20.5},{"name": "op3", "port": ""}]',
  );
  t.equal(q('operator bring.json.count [*][name]'), '[{"count" : 3 }]');
  t.equal(q('operator bring [*][nested]'), "{'k': 'v'}", 'containers like Python str()');
  t.equal(q('operator bring [*][flag]'), 'True');
  t.equal(
    q('operator bring [*][missing]:[*][name] separator = ,'),
    'Op1,op2,op3',
    'first alternative with a value',
  );
  t.equal(
    q('operator bring.ip_port'),
    '10.0.0.5:10,10.1.1.1:99',
    'local network ip as is; own external ip → local_ip:local_port',
  );
  t.equal(q('operator bring [] separator = ,'), 'operator,operator,operator');
});
