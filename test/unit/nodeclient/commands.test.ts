// AnyLog command texts and the quoting rules of the operator's node client.
import t from 'tap';
import {
  GET_PROCESSES_JSON,
  GET_STATUS_JSON,
  INSERT_POLICY_COMMAND,
  dropPolicyCommand,
  insertPolicyBody,
  policyText,
  queryMasterCommand,
  queryPoliciesCommand,
  quoteValue,
} from '../../../src/nodeclient/commands.js';
import { UnsafeCommandValueError } from '../../../src/nodeclient/errors.js';

t.test('fixed commands', async (t) => {
  t.equal(GET_STATUS_JSON, 'get status where format = json');
  t.equal(GET_PROCESSES_JSON, 'get processes where format = json');
  t.equal(
    INSERT_POLICY_COMMAND,
    'blockchain insert where policy = !new_policy and local = true and master = !ledger_conn',
  );
});

t.test('master query quotes name and company', async (t) => {
  t.equal(
    queryMasterCommand('anylog-master', 'New Company'),
    'blockchain get master where name = "anylog-master" and company = "New Company"',
  );
  t.equal(
    queryMasterCommand('m.1_a', 'A & B (Co), Ltd.'),
    'blockchain get master where name = "m.1_a" and company = "A & B (Co), Ltd."',
  );
  t.equal(queryPoliciesCommand('operator', {}), 'blockchain get operator');
});

t.test('values that could change a command are refused', async (t) => {
  for (const bad of [
    'a"b',
    'x!y',
    '$HOME',
    'a|b',
    'line\nbreak',
    "it's",
    '',
    ' lead',
    'trail ',
    'a{b}',
    'a#b',
    'a=b',
    'a<b',
  ]) {
    t.throws(() => quoteValue(bad), UnsafeCommandValueError, JSON.stringify(bad));
  }
  t.equal(quoteValue('Zürich'), '"Zürich"');
  t.throws(() => queryPoliciesCommand('master; drop', {}), UnsafeCommandValueError);
  t.throws(() => queryPoliciesCommand('master', { 'na me': 'x' }), UnsafeCommandValueError);
});

t.test('drop takes only a 32-hex id', async (t) => {
  t.equal(
    dropPolicyCommand('9fe16415251db91760fbc5787a6eed7c'),
    'blockchain drop policy where id = 9fe16415251db91760fbc5787a6eed7c',
  );
  t.throws(() => dropPolicyCommand('9FE16415251DB91760FBC5787A6EED7C'), UnsafeCommandValueError);
  t.throws(() => dropPolicyCommand('abc and local = true'), UnsafeCommandValueError);
});

const master = {
  master: {
    name: 'master-node',
    company: 'New Company',
    ip: '127.0.0.1',
    local_ip: '127.0.0.1',
    port: 32048,
    rest_port: 32049,
  },
};

t.test('policy text keeps key order with json.dumps spacing', async (t) => {
  t.equal(
    policyText(master),
    '{"master": {"name": "master-node", "company": "New Company", "ip": "127.0.0.1", "local_ip": "127.0.0.1", "port": 32048, "rest_port": 32049}}',
  );
  t.equal(policyText({ t: { flag: true, off: false } }), '{"t": {"flag": true, "off": false}}');
});

t.test('insert body assigns and prepares the policy', async (t) => {
  t.equal(
    insertPolicyBody(master),
    `new_policy = ${policyText(master)}\nblockchain prepare policy !new_policy\n`,
  );
});

t.test('policies with AnyLog syntax or bad shapes are refused', async (t) => {
  t.throws(() => policyText({ master: { name: 'a|b' } }), UnsafeCommandValueError);
  t.throws(() => policyText({ master: { name: '!x' } }), UnsafeCommandValueError);
  t.throws(() => policyText({ master: { name: 'a"b' } }), UnsafeCommandValueError);
  t.throws(() => policyText({ master: { port: 1.5 } }), UnsafeCommandValueError);
  t.throws(() => policyText({ a: {}, b: {} }), UnsafeCommandValueError);
  t.throws(() => policyText({}), UnsafeCommandValueError);
  t.throws(() => policyText({ 'bad type': { a: 'b' } }), UnsafeCommandValueError);
  t.throws(() => policyText({ master: { 'bad key': 'b' } }), UnsafeCommandValueError);
});
