// The PolicyPosted condition while the pipeline cannot reach the policy step (pipeline.ts): its message
// says what the step waits for, the node pod or the node REST API, as users read it in status.
import t from 'tap';
import { NodeUnreachableError } from '../../../../src/nodeclient/index.js';
import { runPipeline } from '../../../../src/operator/anylogmaster/pipeline.js';
import { crFromFixture } from '../../render/helpers.js';
import { FakeKube } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';
import { fakeNode, seedClientService, seedRolledOut, type FakeNodeOptions } from './fixtures/pass-world.js';

const cr = crFromFixture('minimal.yaml');

function world(podReady: boolean, node: Partial<FakeNodeOptions> = {}) {
  const kube = new FakeKube();
  seedClientService(kube, cr);
  seedRolledOut(kube, cr, { podReady });
  return passFor(cr, { kube, nodeClient: fakeNode({ insertId: 'x', ...node }).factory });
}

t.test('a node pod that is not Ready: the policy waits for the node pod', async (t) => {
  const g = await runPipeline(world(false).env);
  t.same(g.policy, { status: 'False', reason: 'WaitingForNode', message: 'waiting for the node pod' });
});

t.test('a node that does not answer: the policy waits for the node REST API', async (t) => {
  const error = new NodeUnreachableError('http://10.244.1.7:32049/', 'timeout', 'no answer');
  const g = await runPipeline(world(true, { fail: { method: 'getStatus', error } }).env);
  t.same(g.policy, {
    status: 'False',
    reason: 'WaitingForNode',
    message: 'waiting for the node REST API',
  });
});
