// Reading and owning a child (steps/apply.ts) in two cases the main apply tests leave open: a child in
// the informer cache is used without a GET to the API server, and an owner reference that is not a
// controller reference (another object only keeping the child alive) is no conflict.
import t from 'tap';
import { LABEL_INSTANCE, LABEL_MANAGED_BY, MANAGED_BY } from '../../../../src/api/labels.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { SERVICES } from '../../../../src/operator/anylogmaster/resources.js';
import { conflictOf, ensureChild, liveObject } from '../../../../src/operator/anylogmaster/steps/apply.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';

const cr = crFromFixture('minimal.yaml');
const ours = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_INSTANCE]: 'minimal' };

function service(extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'anylog', labels: ours, ...extra },
    spec: { ports: [{ port: 32049 }] },
  };
}

t.test('a cached child is read from the cache, never with a GET', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(SERVICES, service());
  const live = await liveObject(env, 'Service', 'svc');
  t.equal(live?.metadata.name, 'svc');
  t.equal(live?.metadata.namespace, 'anylog');
  await ensureChild(env, service());
  t.same(kube.callsOf('get'), [], 'no GET for a cached object');
  t.same(kube.callsOf('apply'), [], 'unchanged: not written');
});

t.test('a child in another namespace of the cache is not taken for ours', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(SERVICES, { ...service(), metadata: { ...service().metadata, namespace: 'other' } });
  t.equal(await liveObject(env, 'Service', 'svc'), undefined);
  t.same(
    kube.callsOf('get').map((c) => c.ref),
    [{ namespace: 'anylog', name: 'svc' }],
  );
});

t.test('an owner reference that is not a controller reference is no conflict', async (t) => {
  const { env } = passFor(cr);
  const keeper = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'uid-keeper' };
  t.equal(conflictOf(env, service({ ownerReferences: [{ ...keeper, controller: false }] })), undefined);
  t.equal(conflictOf(env, service({ ownerReferences: [keeper] })), undefined);
  t.equal(
    conflictOf(
      env,
      service({
        labels: { ...ours, [LABEL_INSTANCE]: 'other' },
        ownerReferences: [{ ...keeper, controller: false }],
      }),
    ),
    'Service anylog/svc belongs to another instance',
    'without a controller reference the instance label decides',
  );
});
