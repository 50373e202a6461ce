// Applying one child (steps/apply.ts): an object another owner controls is a ResourceConflict and is never
// written; a cached child that already holds the rendered fields is not written again unless the pass
// forces it; a missing one is applied with the operator's field manager.
import t from 'tap';
import { LABEL_INSTANCE, LABEL_MANAGED_BY, MANAGED_BY } from '../../../../src/api/labels.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { FIELD_MANAGER } from '../../../../src/operator/anylogmaster/deps.js';
import { SERVICES } from '../../../../src/operator/anylogmaster/resources.js';
import {
  ResourceConflictError,
  conflictOf,
  ensureChild,
} from '../../../../src/operator/anylogmaster/steps/apply.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';

const cr = crFromFixture('minimal.yaml');

function service(labels: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: cr.metadata.namespace, labels, ...extra },
    spec: { ports: [{ port: 32049 }] },
  };
}

const ours = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_INSTANCE]: cr.metadata.name };

t.test('a missing child is applied with the field manager', async (t) => {
  const { env, kube } = passFor(cr);
  const live = await ensureChild(env, service(ours));
  t.equal(live.metadata.name, 'svc');
  t.same(
    kube.callsOf('apply', SERVICES).map((c) => c.fieldManager),
    [FIELD_MANAGER],
  );
  t.ok(kube.stored(SERVICES, cr.metadata.namespace, 'svc'));
});

t.test('a cached child holding every field is not written, unless forced', async (t) => {
  const first = passFor(cr);
  first.kube.seed(SERVICES, service(ours));
  await ensureChild(first.env, service(ours));
  t.equal(first.kube.callsOf('apply').length, 0);
  const forced = passFor(cr, { forceApply: true });
  forced.kube.seed(SERVICES, service(ours));
  await ensureChild(forced.env, service(ours));
  t.equal(forced.kube.callsOf('apply').length, 1);
});

t.test('objects this CR does not control are refused and left alone', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(SERVICES, service({}), { cached: false });
  await t.rejects(ensureChild(env, service(ours)), ResourceConflictError);
  t.equal(kube.callsOf('get', SERVICES).length, 1, 'an uncached object is read directly');
  t.equal(kube.callsOf('apply').length, 0);
  t.match(conflictOf(env, service({ ...ours, [LABEL_INSTANCE]: 'other' })), /another instance/);
  t.match(
    conflictOf(
      env,
      service(ours, {
        ownerReferences: [{ apiVersion: 'v1', kind: 'Thing', name: 'x', uid: 'u2', controller: true }],
      }),
    ),
    /controlled by Thing x/,
  );
  t.equal(
    conflictOf(
      env,
      service(
        { ...ours, [LABEL_INSTANCE]: 'other' },
        {
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'AnyLogMaster',
              name: 'x',
              uid: cr.metadata.uid,
              controller: true,
            },
          ],
        },
      ),
    ),
    undefined,
    'a controller reference to this CR is enough',
  );
});
