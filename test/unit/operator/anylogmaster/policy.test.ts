// Master-policy decisions: the desired id matches the EdgeLake id vector, and
// desired id + observed policies → none / insert / replace, including duplicates and address changes.
import t from 'tap';
import type { MasterPolicy } from '../../../../src/api/policy.js';
import {
  decidePolicyAction,
  desiredPolicyId,
  ownPolicies,
  policyBody,
} from '../../../../src/operator/anylogmaster/policy.js';
import { policyText } from '../../../../src/nodeclient/index.js';
import { readVectorJson } from '../../../helpers/vectors.js';

interface IdCase {
  name: string;
  input: string;
  id: string;
}
const vector = readVectorJson('policy-ids.json') as { cases: IdCase[] };

const identity = { nodeName: 'anylog-master', company: 'New Company' };

function policyAt(ip: string): MasterPolicy {
  return {
    master: {
      name: 'anylog-master',
      company: 'New Company',
      hostname: 'master-0',
      ip,
      local_ip: ip,
      port: 32048,
      rest_port: 32049,
      loc: '0.0, 0.0',
      country: 'Unknown',
      state: 'Unknown',
      city: 'Unknown',
    },
  };
}

t.test('desired id equals the observed EdgeLake id of the master-policy vector', async (t) => {
  const c = vector.cases.find((x) => x.name === 'master-policy');
  if (c === undefined) throw new Error('vector master-policy missing');
  const inner = (JSON.parse(c.input) as { master: MasterPolicy['master'] }).master;
  t.equal(desiredPolicyId({ master: inner }), c.id);
});

t.test('the id depends on the address and is stable for the same input', async (t) => {
  const a = desiredPolicyId(policyAt('10.96.0.10'));
  t.match(a, /^[0-9a-f]{32}$/);
  t.equal(desiredPolicyId(policyAt('10.96.0.10')), a);
  t.not(desiredPolicyId(policyAt('10.96.0.11')), a);
});

t.test('policyBody keeps the master policy attribute order', async (t) => {
  const text = policyText(policyBody(policyAt('10.0.0.1')));
  t.equal(
    text,
    '{"master": {"name": "anylog-master", "company": "New Company", "hostname": "master-0", "ip": "10.0.0.1", "local_ip": "10.0.0.1", "port": 32048, "rest_port": 32049, "loc": "0.0, 0.0", "country": "Unknown", "state": "Unknown", "city": "Unknown"}}',
  );
});

t.test('decidePolicyAction', async (t) => {
  const want = desiredPolicyId(policyAt('10.96.0.10'));
  const old = desiredPolicyId(policyAt('10.96.0.9'));
  const own = (id: string) => ({ id, ...{ name: identity.nodeName, company: identity.company } });
  t.same(decidePolicyAction(want, [], identity), { kind: 'insert' }, 'no match → insert');
  t.same(decidePolicyAction(want, [own(want)], identity), { kind: 'none' }, 'exactly the desired → none');
  t.same(
    decidePolicyAction(want, [own(old)], identity),
    { kind: 'replace', drop: [old], insert: true },
    'address changed → drop old, insert new',
  );
  t.same(
    decidePolicyAction(want, [own(want), own(old)], identity),
    { kind: 'replace', drop: [old], insert: false },
    'desired plus a duplicate left by older tooling → drop the duplicate only',
  );
  const third = 'a'.repeat(32);
  t.same(
    decidePolicyAction(want, [own(old), own(third), own(old)], identity),
    { kind: 'replace', drop: [old, third], insert: true },
    'several stale ids are each dropped once',
  );
  t.same(
    decidePolicyAction(want, [own(want), own(want)], identity),
    { kind: 'none' },
    'same id twice → none',
  );
});

t.test('policies of other names or companies are never ours', async (t) => {
  const want = desiredPolicyId(policyAt('10.96.0.10'));
  const foreign = [
    { id: 'b'.repeat(32), name: 'ANYLOG-MASTER', company: 'New Company' },
    { id: 'c'.repeat(32), name: 'anylog-master', company: 'new company' },
    { id: 'd'.repeat(32), name: 'other', company: 'New Company' },
  ];
  t.same(ownPolicies(foreign, identity), []);
  t.same(decidePolicyAction(want, foreign, identity), { kind: 'insert' });
});
