// Rollout check of the node StatefulSet and pod.
import t from 'tap';
import { checkRollout, statefulSetProblem } from '../../../../src/operator/anylogmaster/rollout.js';
import { podView, statefulSetView } from '../../../../src/operator/anylogmaster/views.js';

const sts = (status: Record<string, unknown>, generation = 2) =>
  statefulSetView({ metadata: { generation }, status });
const done = {
  observedGeneration: 2,
  updatedReplicas: 1,
  readyReplicas: 1,
  currentReplicas: 1,
  currentRevision: 'r2',
  updateRevision: 'r2',
};
const pod = (over: { ready?: boolean; ip?: string; rev?: string; deleting?: boolean } = {}) =>
  podView({
    metadata: {
      labels: { 'controller-revision-hash': over.rev ?? 'r2' },
      ...(over.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    status: {
      ...(over.ip === '' ? {} : { podIP: over.ip ?? '127.0.0.5' }),
      conditions: [{ type: 'Ready', status: over.ready === false ? 'False' : 'True' }],
    },
  });

t.test('rolled out with a Ready pod of the current revision', async (t) => {
  t.same(checkRollout('m', sts(done), 'm-0', pod()), { kind: 'ready', podIP: '127.0.0.5' });
});

t.test('StatefulSet problems are RollingOut', async (t) => {
  t.match(statefulSetProblem(undefined), /does not exist/);
  t.match(statefulSetProblem(sts({ ...done, observedGeneration: 1 })), /not observed/);
  t.match(statefulSetProblem(sts({ ...done, updatedReplicas: 0 })), /not updated/);
  t.match(statefulSetProblem(sts({ ...done, readyReplicas: 0 })), /not Ready/);
  t.match(statefulSetProblem(sts({ ...done, currentRevision: 'r1' })), /not complete/);
  const r = checkRollout('m', sts({ ...done, readyReplicas: 0 }), 'm-0', pod());
  t.equal(r.kind === 'waiting' ? r.waiting.reason : '', 'RollingOut');
});

t.test('pod problems are WaitingForPod', async (t) => {
  for (const [p, text] of [
    [undefined, /does not exist/],
    [pod({ ready: false }), /not Ready/],
    [pod({ ip: '' }), /no IP/],
    [pod({ rev: 'r1' }), /older revision/],
    [pod({ deleting: true }), /terminating/],
  ] as const) {
    const r = checkRollout('m', sts(done), 'm-0', p);
    t.equal(r.kind, 'waiting');
    if (r.kind === 'waiting') {
      t.equal(r.waiting.reason, 'WaitingForPod');
      t.match(r.waiting.message, text);
    }
  }
});

t.test('a current replica count other than one is an incomplete rollout', async (t) => {
  t.match(statefulSetProblem(sts({ ...done, currentReplicas: 0 })), /not complete/);
  t.equal(statefulSetProblem(sts(done)), undefined);
});
