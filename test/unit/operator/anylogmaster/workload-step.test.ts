// Step 6 (steps/workload.ts): the rollout check reads pod `<name>-0` of the CR's namespace from the pod
// cache and the StatefulSet the apply returned (not the cached one), and names both in its messages.
import t from 'tap';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { PODS, STATEFULSETS } from '../../../../src/operator/anylogmaster/resources.js';
import { checkWorkload } from '../../../../src/operator/anylogmaster/steps/workload.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';

const cr = crFromFixture('minimal.yaml');
const NS = 'anylog';

function statefulSet(status: Record<string, unknown>, generation = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'minimal', namespace: NS, generation },
    status,
  };
}
const rolledOut = statefulSet({
  observedGeneration: 2,
  updatedReplicas: 1,
  readyReplicas: 1,
  currentReplicas: 1,
  currentRevision: 'minimal-abc',
  updateRevision: 'minimal-abc',
});
const stale = statefulSet({ observedGeneration: 1 });

function pod(name: string, namespace = NS, ip = '10.244.0.7'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'controller-revision-hash': 'minimal-abc' } },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

t.test('ready: the rolled-out StatefulSet and the Ready pod of the namespace', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(PODS, pod('minimal-0'));
  t.same(checkWorkload(env, rolledOut), { kind: 'ready', podIP: '10.244.0.7' });
});

t.test('the pod is read from the cache only, by namespace and name', async (t) => {
  const uncached = passFor(cr);
  uncached.kube.seed(PODS, pod('minimal-0'), { cached: false });
  t.same(checkWorkload(uncached.env, rolledOut), {
    kind: 'waiting',
    waiting: { reason: 'WaitingForPod', message: 'pod minimal-0: the pod does not exist yet' },
    podMessage: 'pod minimal-0: the pod does not exist yet',
  });
  t.equal(uncached.kube.calls.length, 0, 'no API call');

  const elsewhere = passFor(cr);
  elsewhere.kube.seed(PODS, pod('minimal-0', 'other'));
  elsewhere.kube.seed(PODS, pod('minimal-1'));
  elsewhere.kube.seed(PODS, pod('minimal'));
  t.match(checkWorkload(elsewhere.env, rolledOut), { kind: 'waiting', waiting: { reason: 'WaitingForPod' } });
});

t.test('the StatefulSet passed in wins over the cached one', async (t) => {
  const cachedStale = passFor(cr);
  cachedStale.kube.seed(STATEFULSETS, stale);
  cachedStale.kube.seed(PODS, pod('minimal-0'));
  t.same(checkWorkload(cachedStale.env, rolledOut), { kind: 'ready', podIP: '10.244.0.7' });

  const cachedReady = passFor(cr);
  cachedReady.kube.seed(STATEFULSETS, rolledOut);
  cachedReady.kube.seed(PODS, pod('minimal-0'));
  t.same(checkWorkload(cachedReady.env, stale), {
    kind: 'waiting',
    waiting: {
      reason: 'RollingOut',
      message: 'StatefulSet minimal: the StatefulSet controller has not observed the new revision',
    },
    podMessage: 'pod minimal-0 is Ready',
  });
});

t.test('names follow the CR', async (t) => {
  const other = crFromFixture('overlay.yaml');
  const { env, kube } = passFor(other);
  kube.seed(PODS, pod('master-overlay-0', NS, '10.244.0.9'));
  t.same(checkWorkload(env, rolledOut), { kind: 'ready', podIP: '10.244.0.9' });
  t.match(checkWorkload(env, stale), {
    waiting: { reason: 'RollingOut', message: /^StatefulSet master-overlay: / },
    podMessage: 'pod master-overlay-0 is Ready',
  });
});
