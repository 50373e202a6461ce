// NodeReachable=False/NodeUnreachable carries the same hint (REST URL, NetworkPolicies, REST port)
// whichever request of a pass failed: `get status` or a later policy or processes request.
import t from 'tap';
import { unreachableHint, unreachableOutcome } from '../../../../src/operator/anylogmaster/steps/node.js';

t.test('the unreachable outcome names the URL, the hint and the failure', async (t) => {
  const url = 'http://10.0.0.7:32049/';
  const o = unreachableOutcome(url, 'no answer within 5000 ms');
  t.equal(o.status, 'False');
  t.equal(o.reason, 'NodeUnreachable');
  t.equal(o.message, `${unreachableHint(url)}: no answer within 5000 ms`);
  t.match(o.message, /NetworkPolicies/);
  t.match(o.message, url);
});
