// Step 9 (steps/processes.ts) beyond the condition itself: the ProcessesHealthy=True message, the
// 128-character cap on process names and states in status.processes, the anylog_node_process_up series
// the step sets (known row names only, 1 for Running), the abort signal on the request, and an aborted
// pass that rethrows instead of leaving the condition unchecked.
import t from 'tap';
import { NodeUnreachableError, type NodeClient } from '../../../../src/nodeclient/index.js';
import type { PassEnv } from '../../../../src/operator/anylogmaster/deps.js';
import { createDomainMetrics } from '../../../../src/operator/anylogmaster/metrics.js';
import {
  processesCondition,
  reconcileProcesses,
  statusProcesses,
} from '../../../../src/operator/anylogmaster/steps/processes.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';
import { fakeNode } from './fixtures/pass-world.js';

const cr = crFromFixture('minimal.yaml');

/** A pass whose domain metrics go to a registry of its own; `signal` replaces the context's signal. */
function processesPass(signal?: AbortSignal) {
  const pass = passFor(cr);
  const metrics = new Metrics({ prefix: 'anylog_operator_test', defaultMetrics: false });
  const env: PassEnv = {
    ...pass.env,
    ctx: signal === undefined ? pass.env.ctx : { ...pass.env.ctx, signal },
    deps: { ...pass.deps, domainMetrics: createDomainMetrics(metrics, () => pass.clock.now()) },
  };
  return { env, metrics };
}

t.test('all four required processes running: the condition says so', async (t) => {
  const running = ['TCP', 'REST', 'Blockchain Sync', 'Scheduler'].map((name) => ({
    name,
    status: 'Running',
  }));
  t.same(processesCondition(running), {
    status: 'True',
    reason: 'AllRunning',
    message: '4 required processes running',
  });
});

t.test('process names and states longer than 128 characters are cut in status', async (t) => {
  const long = statusProcesses([{ name: 'n'.repeat(200), status: 's'.repeat(129) }]);
  t.same(long, [{ name: 'n'.repeat(128), status: 's'.repeat(128) }]);
  const exact = statusProcesses([{ name: 'm'.repeat(128), status: 'Running' }]);
  t.same(exact, [{ name: 'm'.repeat(128), status: 'Running' }]);
});

t.test('anylog_node_process_up: 1 for Running, 0 otherwise, only for known row names', async (t) => {
  const { env, metrics } = processesPass();
  const signals: (AbortSignal | undefined)[] = [];
  const { client } = fakeNode({
    insertId: 'x',
    processes: [
      { name: 'TCP', status: 'Running' },
      { name: 'REST', status: 'Not declared' },
      { name: 'Some Plugin', status: 'Running' },
      { name: 'Scheduler', status: 'Running' },
    ],
  });
  const recording: NodeClient = {
    ...client,
    getProcesses: (options) => {
      signals.push(options?.signal);
      return client.getProcesses();
    },
  };
  const r = await reconcileProcesses(env, recording);
  t.equal(r.outcome.reason, 'ProcessesNotRunning');
  t.equal(signals.length, 1);
  t.equal(signals[0], env.ctx.signal, 'get processes carries the pass abort signal');
  const series = (await metrics.text())
    .split('\n')
    .filter((l) => l.startsWith('anylog_node_process_up'))
    .sort();
  t.same(series, [
    'anylog_node_process_up{namespace="anylog",name="minimal",process="REST"} 0',
    'anylog_node_process_up{namespace="anylog",name="minimal",process="Scheduler"} 1',
    'anylog_node_process_up{namespace="anylog",name="minimal",process="TCP"} 1',
  ]);
});

t.test('an aborted pass rethrows the failed get processes', async (t) => {
  const error = new NodeUnreachableError('http://10.244.1.7:32049/', 'aborted', 'aborted');
  const { client } = fakeNode({ insertId: 'x', fail: { method: 'getProcesses', error } });
  const { env } = processesPass(AbortSignal.abort());
  await t.rejects(reconcileProcesses(env, client), error);
});
