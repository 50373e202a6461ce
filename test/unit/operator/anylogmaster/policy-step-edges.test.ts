// The master-policy step (steps/policy.ts) when the node files the inserted policy under another id than
// the computed one: besides taking that id, the error record must say which id was expected and which one
// the node gave, since nothing else in status or Events shows the mismatch.
import t from 'tap';
import type { MasterPolicy, NodeClient } from '../../../../src/nodeclient/index.js';
import { reconcilePolicy } from '../../../../src/operator/anylogmaster/steps/policy.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';
import { policyIdOf } from './fixtures/pass-world.js';

const cr = crFromFixture('minimal.yaml');
const ADDR = '10.96.0.10';
const OTHER_ID = 'e'.repeat(32);

t.test('another id from the node is logged as a bug with the expected and the actual id', async (t) => {
  const held: MasterPolicy[] = [];
  const unused = (): Promise<never> => Promise.reject(new Error('not used by the policy step'));
  const node: NodeClient = {
    url: 'http://10.0.0.7:32049/',
    getStatus: unused,
    getProcesses: unused,
    readLedger: unused,
    pushPolicy: unused,
    dropPolicy: unused,
    queryMasterPolicies: () => Promise.resolve([...held]),
    insertPolicy: () => {
      held.push({ id: OTHER_ID, name: 'anylog-master', company: 'New Company', attributes: {} });
      return Promise.resolve('inserted');
    },
  };
  const pass = passFor(cr);
  const result = await reconcilePolicy(pass.env, node, ADDR);
  t.equal(result.policyId, OTHER_ID);
  const errors = pass.log.records.filter((r) => r['level'] === 50);
  t.equal(errors.length, 1);
  t.equal(errors[0]?.['expected'], policyIdOf(cr, ADDR));
  t.equal(errors[0]?.['actual'], OTHER_ID);
  t.match(errors[0]?.['msg'], /^BUG: /);
});
