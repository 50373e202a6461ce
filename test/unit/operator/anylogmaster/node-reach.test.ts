// Step 7, reaching the node (steps/node.ts reachNode) against a scripted client: the NodeReachable=True
// message from `get status`, the abort signal on the request, the probe age series a successful probe
// starts, and an aborted pass that rethrows instead of reporting the node unreachable.
import t from 'tap';
import { NodeUnreachableError, type NodeClient } from '../../../../src/nodeclient/index.js';
import type { PassEnv } from '../../../../src/operator/anylogmaster/deps.js';
import { createDomainMetrics } from '../../../../src/operator/anylogmaster/metrics.js';
import { reachNode } from '../../../../src/operator/anylogmaster/steps/node.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';
import { fakeNode } from './fixtures/pass-world.js';

const cr = crFromFixture('minimal.yaml');

/** A pass whose node answers through `client`, whose domain metrics go to a registry of its own. */
function reachPass(client: NodeClient, signal?: AbortSignal) {
  const pass = passFor(cr);
  const metrics = new Metrics({ prefix: 'anylog_operator_test', defaultMetrics: false });
  const env: PassEnv = {
    ...pass.env,
    ctx: signal === undefined ? pass.env.ctx : { ...pass.env.ctx, signal },
    deps: {
      ...pass.deps,
      nodeClient: () => client,
      domainMetrics: createDomainMetrics(metrics, () => pass.clock.now()),
    },
  };
  return { env, metrics };
}

const probeSeries = async (metrics: Metrics): Promise<string[]> =>
  (await metrics.text()).split('\n').filter((l) => l.startsWith('anylog_node_probe_age_seconds{'));

t.test('a node that answers: Reachable with its name and state, a probe recorded', async (t) => {
  const signals: (AbortSignal | undefined)[] = [];
  const { client } = fakeNode({ insertId: 'x' });
  const recording: NodeClient = {
    ...client,
    getStatus: (options) => {
      signals.push(options?.signal);
      return client.getStatus();
    },
  };
  const { env, metrics } = reachPass(recording);
  const r = await reachNode(env, '10.244.1.7');
  t.equal(r.kind, 'reachable');
  t.same(r.outcome, {
    status: 'True',
    reason: 'Reachable',
    message: 'anylog-master@10.96.0.10:32048 running',
  });
  t.equal(signals.length, 1);
  t.equal(signals[0], env.ctx.signal, 'get status carries the pass abort signal');
  t.same(await probeSeries(metrics), ['anylog_node_probe_age_seconds{namespace="anylog",name="minimal"} 0']);
});

t.test('an unreachable node records no probe', async (t) => {
  const error = new NodeUnreachableError('http://10.244.1.7:32049/', 'timeout', 'no answer');
  const { client } = fakeNode({ insertId: 'x', fail: { method: 'getStatus', error } });
  const { env, metrics } = reachPass(client);
  const r = await reachNode(env, '10.244.1.7');
  t.equal(r.kind, 'unreachable');
  t.equal(r.outcome.reason, 'NodeUnreachable');
  t.same(await probeSeries(metrics), []);
});

t.test('an aborted pass rethrows the failed get status', async (t) => {
  const error = new NodeUnreachableError('http://10.244.1.7:32049/', 'aborted', 'aborted');
  const { client } = fakeNode({ insertId: 'x', fail: { method: 'getStatus', error } });
  const { env } = reachPass(client, AbortSignal.abort());
  await t.rejects(reachNode(env, '10.244.1.7'), error);
});
