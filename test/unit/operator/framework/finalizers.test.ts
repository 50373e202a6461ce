import t from 'tap';
import {
  decideFinalizer,
  finalizerApplyBody,
  hasFinalizer,
  isDeleting,
} from '../../../../src/operator/framework/finalizers.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';

const F = 'anylog.co/cleanup';
const obj = (meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'anylog.co/v1alpha1',
  kind: 'AnyLogMaster',
  metadata: { name: 'm', namespace: 'ns', uid: 'u1', resourceVersion: '9', ...meta },
  spec: { x: 1 },
});

t.test('presence and deletion checks', async (t) => {
  t.ok(hasFinalizer(obj({ finalizers: ['other', F] }).metadata, F));
  t.notOk(hasFinalizer(obj().metadata, F));
  t.ok(isDeleting(obj({ deletionTimestamp: '2026-11-26T12:00:00Z' }).metadata));
  t.notOk(isDeleting(obj().metadata));
});

t.test('adds when wanted and missing, removes when unwanted and present', async (t) => {
  t.equal(decideFinalizer(obj().metadata, F, true), 'add');
  t.equal(decideFinalizer(obj({ finalizers: [F] }).metadata, F, true), 'none');
  t.equal(decideFinalizer(obj({ finalizers: [F] }).metadata, F, false), 'remove');
  t.equal(decideFinalizer(obj().metadata, F, false), 'none');
});

t.test('never adds to an object that is being deleted', async (t) => {
  t.equal(decideFinalizer(obj({ deletionTimestamp: '2026-11-26T12:00:00Z' }).metadata, F, true), 'none');
});

t.test('apply body carries only identity and the one entry', async (t) => {
  const o = obj({ finalizers: ['other', F], labels: { a: 'b' } });
  t.same(finalizerApplyBody(o, F, true), {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'm', namespace: 'ns', finalizers: [F] },
  });
  t.same(finalizerApplyBody(o, F, false).metadata, { name: 'm', namespace: 'ns', finalizers: [] });
});
