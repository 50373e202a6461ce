// The reconcile pipeline (pipeline.ts): steps run in order ledger → children → rollout → node → policy →
// processes → backup, the first waiting or stalled step ends it with what it found, and a thrown error is
// kept beside the outcomes gathered so far (a ResourceConflict becomes a stall), so status is still written.
import t from 'tap';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import { NodeRejectedError, NodeUnreachableError } from '../../../../src/nodeclient/index.js';
import { runPipeline, type Gathered } from '../../../../src/operator/anylogmaster/pipeline.js';
import {
  CONFIGMAPS,
  JOBS,
  PODS,
  SERVICES,
  STATEFULSETS,
} from '../../../../src/operator/anylogmaster/resources.js';
import { KubeApiError } from '../../../../src/operator/framework/kube.js';
import { crFromFixture, crFromSample } from '../../render/helpers.js';
import { FakeKube, serverError } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';
import {
  CLUSTER_IP,
  POD_IP,
  RUNNING,
  fakeNode,
  policyIdOf,
  seedClientService,
  seedRolledOut,
  type FakeNodeOptions,
} from './fixtures/pass-world.js';

const cr = crFromFixture('minimal.yaml');
const ID = policyIdOf(cr);
const NODE_IMAGE = 'example.com/anylog-node:1.0.0';

/** A pass of `subject` whose Service has a cluster IP and whose node is rolled out (unless told). */
function world(
  subject: AnyLogMaster = cr,
  node: Partial<FakeNodeOptions> = {},
  options: {
    readonly rolledOut?: boolean;
    readonly podReady?: boolean;
    readonly status?: Record<string, unknown>;
  } = {},
) {
  const kube = new FakeKube();
  seedClientService(kube, subject);
  if (options.rolledOut !== false) seedRolledOut(kube, subject, { podReady: options.podReady ?? true });
  const fake = fakeNode({ insertId: ID, ...node });
  const pass = passFor(subject, {
    kube,
    nodeClient: fake.factory,
    ...(options.status === undefined ? {} : { status: { conditions: [], ...options.status } }),
  });
  return { ...pass, node: fake.client };
}

const unreachable = (): NodeUnreachableError =>
  new NodeUnreachableError(`http://${POD_IP}:32049/`, 'timeout', 'no answer within 5000 ms');

const rejected = (httpStatus: number): NodeRejectedError =>
  new NodeRejectedError({
    httpStatus,
    errCode: 2 as never,
    errText: 'Failed to process the command',
    command: 'blockchain insert',
  });

const reasons = (g: Gathered) => ({
  ledger: g.ledger?.reason,
  node: g.node?.reason,
  policy: g.policy?.reason,
  processes: g.processes?.reason,
  waiting: g.waiting?.reason,
  stalled: g.stalled?.reason,
});

t.test('a rolled-out embedded master goes through every step and gathers every outcome', async (t) => {
  const { env, kube, node } = world();
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.same(reasons(g), {
    ledger: 'Embedded',
    node: 'Reachable',
    policy: 'Posted',
    processes: 'AllRunning',
    waiting: undefined,
    stalled: undefined,
  });
  t.equal(g.ledger?.status, 'True');
  t.equal(g.node?.status, 'True');
  t.equal(g.policy?.status, 'True');
  t.equal(g.processes?.status, 'True');
  t.equal(g.rolledOut, true);
  t.equal(g.backup, undefined, 'no backup asked for: no BackupHealthy');
  t.strictSame(g.extras, {
    images: { node: NODE_IMAGE },
    ledger: { mode: 'Embedded' },
    advertisedAddress: CLUSTER_IP,
    endpoints: { tcp: `${CLUSTER_IP}:32048`, rest: `${CLUSTER_IP}:32049` },
    policyId: ID,
    processes: RUNNING,
    backup: null,
  });
  t.same(node.targets, [{ host: POD_IP, port: 32049 }], 'the node is reached at its pod IP');
  t.same(node.called, [
    'getStatus',
    'queryMasterPolicies',
    'insertPolicy',
    'queryMasterPolicies',
    'getProcesses',
  ]);
  t.same(
    kube.callsOf('apply').map((c) => `${c.plural}/${c.ref.name}`),
    [
      'services/minimal',
      'services/minimal-headless',
      'networkpolicies/minimal',
      'configmaps/minimal-config',
      'statefulsets/minimal',
    ],
  );
});

t.test('an already posted policy with a failed processes check keeps the policy id', async (t) => {
  const stopped = RUNNING.map((p) => (p.name === 'Scheduler' ? { ...p, status: 'Not declared' } : p));
  const { env, node } = world(cr, { processes: stopped });
  node.policies.push({ id: ID, name: 'anylog-master', company: 'New Company', attributes: {} });
  const g = await runPipeline(env);
  t.equal(g.policy?.reason, 'Posted');
  t.equal(g.extras.policyId, ID);
  t.equal(g.processes?.status, 'False');
  t.equal(g.processes?.reason, 'ProcessesNotRunning');
  t.same(g.extras.processes, stopped);
  t.equal(g.waiting, undefined);
  t.notOk(node.called.includes('insertPolicy'));
});

t.test('a client Service without a cluster IP ends the pass before the StatefulSet', async (t) => {
  const kube = new FakeKube();
  const { env } = passFor(cr, { kube });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.same(g.waiting?.reason, 'Progressing');
  t.equal(g.stalled, undefined);
  t.equal(g.ledger?.reason, 'Embedded');
  t.equal(g.node, undefined);
  t.equal(g.policy, undefined);
  t.equal(g.rolledOut, false);
  t.equal(g.extras.advertisedAddress, undefined);
  t.equal(g.extras.endpoints, undefined);
  t.same(g.extras.images, { node: NODE_IMAGE });
  t.same(g.extras.ledger, { mode: 'Embedded' });
  t.equal(kube.callsOf('apply', STATEFULSETS).length, 0);
});

t.test('a pod that is not Ready waits for the pod and never reaches the node', async (t) => {
  const { env, node } = world(cr, {}, { podReady: false });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.same(node.targets, [], 'no node client is made');
  t.equal(g.rolledOut, false);
  t.equal(g.waiting?.reason, 'RollingOut', 'readyReplicas 0: the StatefulSet is not rolled out');
  t.equal(g.node?.status, 'False');
  t.equal(g.node?.reason, 'WaitingForPod');
  t.equal(g.policy?.status, 'False');
  t.equal(g.policy?.reason, 'WaitingForNode');
  t.equal(g.processes, undefined);
  t.equal(g.extras.advertisedAddress, CLUSTER_IP, 'the address is known once the children are applied');
  t.same(g.extras.endpoints, { tcp: `${CLUSTER_IP}:32048`, rest: `${CLUSTER_IP}:32049` });
  t.equal(g.extras.backup, undefined, 'the backup step is not reached');
});

t.test('a StatefulSet the controller has not rolled out yet waits on it', async (t) => {
  const { env, node } = world(cr, {}, { rolledOut: false });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.same(node.targets, []);
  t.equal(g.waiting?.reason, 'RollingOut');
  t.equal(g.node?.reason, 'WaitingForPod');
  t.equal(g.rolledOut, false);
});

t.test('an unreachable node ends the pass before the policy', async (t) => {
  const { env, node } = world(cr, { fail: { method: 'getStatus', error: unreachable() } });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.rolledOut, true);
  t.equal(g.node?.status, 'False');
  t.equal(g.node?.reason, 'NodeUnreachable');
  t.equal(g.policy?.status, 'False');
  t.equal(g.policy?.reason, 'WaitingForNode');
  t.equal(g.waiting?.reason, 'WaitingForNode');
  t.equal(g.waiting?.message, g.node?.message, 'the wait names the node failure');
  t.equal(g.processes, undefined);
  t.not(g.extras.policyId, null, 'the policy id is not cleared when the policy was not checked');
  t.equal(g.extras.policyId, undefined);
  t.same(node.called, ['getStatus']);
  t.equal(g.extras.backup, null, 'the backup step still runs once the pod is rolled out');
});

t.test('a node that stops answering during the policy step is unreachable', async (t) => {
  const { env, node } = world(cr, { fail: { method: 'queryMasterPolicies', error: unreachable() } });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.node?.status, 'False');
  t.equal(g.node?.reason, 'NodeUnreachable');
  t.match(g.node?.message, `http://${POD_IP}:32049/`);
  t.equal(g.policy?.reason, 'WaitingForNode');
  t.equal(g.waiting?.reason, 'PostingPolicy');
  t.equal(g.extras.policyId, null, 'no verified policy: the id is cleared');
  t.equal(g.processes, undefined, 'the processes are not asked for');
  t.notOk(node.called.includes('getProcesses'));
});

t.test('a rejected policy stalls the pass but the processes are still read', async (t) => {
  const { env } = world(cr, { fail: { method: 'insertPolicy', error: rejected(400) } });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.stalled?.reason, 'PolicyRejected');
  t.equal(g.policy?.reason, 'PolicyRejected');
  t.equal(g.waiting, undefined);
  t.equal(g.node?.reason, 'Reachable');
  t.equal(g.processes?.reason, 'AllRunning');
  t.equal(g.extras.policyId, null);
});

t.test('a temporary policy failure waits with the policy reason', async (t) => {
  const { env } = world(cr, { fail: { method: 'insertPolicy', error: rejected(503) } });
  const g = await runPipeline(env);
  t.equal(g.stalled, undefined);
  t.equal(g.waiting?.reason, 'PostingPolicy');
  t.equal(g.node?.reason, 'Reachable', 'an answered rejection is no unreachable node');
  t.equal(g.processes?.reason, 'AllRunning');
});

t.test('a node that stops answering during the processes step is unreachable', async (t) => {
  const { env } = world(cr, { fail: { method: 'getProcesses', error: unreachable() } });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.policy?.reason, 'Posted');
  t.equal(g.extras.policyId, ID);
  t.equal(g.processes?.status, 'Unknown');
  t.equal(g.processes?.reason, 'NotChecked');
  t.equal(g.node?.status, 'False');
  t.equal(g.node?.reason, 'NodeUnreachable');
  t.match(g.node?.message, `http://${POD_IP}:32049/`);
  t.equal(g.extras.processes, undefined, 'no list: the previous one is kept');
});

t.test('an object another owner controls stalls with ResourceConflict and is not written', async (t) => {
  const kube = new FakeKube();
  kube.seed(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: cr.metadata.namespace, name: 'minimal' },
    spec: { clusterIP: CLUSTER_IP },
  });
  const { env } = passFor(cr, { kube });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.stalled?.reason, 'ResourceConflict');
  t.match(g.stalled?.message, /Service anylog\/minimal exists and is not managed by anylog-operator/);
  t.equal(g.ledger?.reason, 'Embedded', 'the outcomes so far are kept');
  t.equal(kube.callsOf('apply').length, 0);
});

t.test('an unexpected API error is kept with the outcomes gathered so far', async (t) => {
  const kube = new FakeKube();
  seedClientService(kube, cr);
  seedRolledOut(kube, cr);
  kube.failNext('apply', serverError('etcd is sad'), STATEFULSETS);
  const { env } = passFor(cr, { kube });
  const g = await runPipeline(env);
  t.type(g.error, KubeApiError);
  t.equal((g.error as KubeApiError).status, 500);
  t.equal(g.stalled, undefined, 'a server error is no stall');
  t.equal(g.waiting, undefined);
  t.equal(g.ledger?.reason, 'Embedded');
  t.same(g.extras.images, { node: NODE_IMAGE });
  t.equal(g.rolledOut, false);
  t.equal(g.node, undefined);
});

t.test('a ledger that is not ready ends the pass before any child', async (t) => {
  const external = crFromFixture('external-minimal.yaml');
  const kube = new FakeKube();
  const { env } = passFor(external, { kube });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.ledger?.status, 'False');
  t.equal(g.ledger?.reason, 'SecretNotFound');
  t.equal(g.stalled?.reason, 'SecretNotFound');
  t.equal(g.extras.ledger?.mode, 'External');
  t.equal(kube.callsOf('apply').length, 0);
  t.equal(g.extras.advertisedAddress, undefined);
});

const restoreFrom = { claimName: 'backups', file: 'm-20260101T000000Z.json.gz' };
const restoring: AnyLogMaster = {
  ...cr,
  spec: { ...cr.spec, ledger: { embedded: {}, restoreFrom } },
};

t.test('a restore in progress holds the policy step', async (t) => {
  const { env, kube, node, events } = world(restoring, { insertId: policyIdOf(restoring) });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.node?.reason, 'Reachable');
  t.equal(g.policy?.status, 'False');
  t.equal(g.policy?.reason, 'RestoringLedger');
  t.equal(g.waiting?.reason, 'RestoringLedger');
  t.equal(g.processes, undefined);
  t.equal(g.extras.restore, undefined);
  t.same(node.called, ['getStatus'], 'no policy query while restoring');
  t.equal(kube.callsOf('create', JOBS).length, 1);
  t.same(
    events.map((e) => e.reason),
    ['RestoringLedger'],
  );
});

t.test('a failed restore stalls the pass with RestoreFailed', async (t) => {
  const { env, kube, node } = world(restoring, { insertId: policyIdOf(restoring) });
  kube.seed(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: 'anylog',
      name: 'minimal-restore-x1',
      labels: {
        'app.kubernetes.io/instance': 'minimal',
        'app.kubernetes.io/component': 'restore',
      },
    },
    status: { phase: 'Failed' },
  });
  const g = await runPipeline(env);
  t.equal(g.stalled?.reason, 'RestoreFailed');
  t.equal(g.policy?.reason, 'RestoreFailed');
  t.equal(g.waiting, undefined);
  t.same(node.called, ['getStatus']);
});

t.test('a finished restore lets the policy step run and is kept in the status', async (t) => {
  const done = { file: restoreFrom.file, policyCount: 3, completionTime: '2026-11-26T11:00:00Z' };
  const { env, node } = world(restoring, { insertId: policyIdOf(restoring) }, { status: { restore: done } });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.same(g.extras.restore, done);
  t.equal(g.policy?.reason, 'Posted');
  t.ok(node.called.includes('insertPolicy'));
  t.equal(g.waiting, undefined);
});

t.test('a requested backup reports BackupHealthy and its status', async (t) => {
  const backedUp: AnyLogMaster = {
    ...cr,
    spec: { ...cr.spec, backup: { schedule: '0 * * * *', claimName: 'backups' } },
  };
  const { env, kube } = world(backedUp, { insertId: policyIdOf(backedUp) });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.not(g.backup, undefined);
  t.equal(g.backup?.status, 'Unknown');
  t.equal(g.backup?.reason, 'BackupPending', 'a new CronJob has not run yet');
  t.not(g.extras.backup, undefined);
  t.not(g.extras.backup, null);
  t.equal(kube.callsOf('apply').filter((c) => c.plural === 'cronjobs').length, 1);
});

t.test('a managed ledger still rolling out waits before any node child', async (t) => {
  const managed = crFromSample('managed');
  const kube = new FakeKube();
  seedClientService(kube, managed);
  const { env } = passFor(managed, { kube });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.ledger?.status, 'False');
  t.equal(g.waiting?.reason, 'WaitingForLedger');
  t.equal(g.stalled, undefined);
  t.equal(g.extras.ledger?.mode, 'Managed');
  t.same(g.extras.images, { node: NODE_IMAGE, ledger: 'example.com/postgres:17' });
  t.equal(kube.callsOf('apply', CONFIGMAPS).length, 0);
  t.notOk(
    kube.callsOf('apply', SERVICES).some((c) => c.ref.name === managed.metadata.name),
    'the client Service is not applied',
  );
});

t.test('missing REST TLS Secrets stall the pass before the ConfigMap and the StatefulSet', async (t) => {
  const tls: AnyLogMaster = {
    ...cr,
    spec: { ...cr.spec, rest: { tls: { enabled: true, secretName: 'srv', clientSecretName: 'cli' } } },
  };
  const kube = new FakeKube();
  seedClientService(kube, tls);
  const { env } = passFor(tls, { kube });
  const g = await runPipeline(env);
  t.equal(g.error, undefined);
  t.equal(g.stalled?.reason, 'SecretNotFound');
  t.equal(g.waiting, undefined);
  t.equal(g.extras.advertisedAddress, undefined);
  t.equal(kube.callsOf('apply', CONFIGMAPS).length, 0);
  t.equal(kube.callsOf('apply', STATEFULSETS).length, 0);
});
