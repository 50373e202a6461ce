import t from 'tap';
import {
  controllerOwnerKey,
  isSignificantUpdate,
  ownedKeys,
  primaryKeys,
} from '../../../../src/operator/framework/controller.js';
import type { KubeObject, ResourceType } from '../../../../src/operator/framework/kube.js';

const CR: ResourceType = {
  group: 'anylog.co',
  version: 'v1alpha1',
  plural: 'anylogmasters',
  kind: 'AnyLogMaster',
  namespaced: true,
};

const cr = (patch: Partial<KubeObject['metadata']> = {}, status: unknown = {}): KubeObject => ({
  apiVersion: 'anylog.co/v1alpha1',
  kind: 'AnyLogMaster',
  metadata: { name: 'm', namespace: 'ns', generation: 1, resourceVersion: '1', labels: { a: 'b' }, ...patch },
  spec: { replicas: 1 },
  status,
});

t.test('status-only and resourceVersion-only updates of the CR are ignored', async (t) => {
  const old = cr();
  t.notOk(isSignificantUpdate(old, cr({ resourceVersion: '2' }, { phase: 'Running' })));
  t.same(primaryKeys({ type: 'updated', old, object: cr({ resourceVersion: '2' }, { x: 1 }) }), []);
});

t.test('generation, labels, annotations, finalizers and deletion are significant', async (t) => {
  const old = cr();
  t.ok(isSignificantUpdate(old, cr({ generation: 2 })));
  t.ok(isSignificantUpdate(old, cr({ labels: { a: 'c' } })));
  t.ok(isSignificantUpdate(old, cr({ annotations: { x: 'y' } })));
  t.ok(isSignificantUpdate(old, cr({ finalizers: ['f'] })));
  t.ok(isSignificantUpdate(old, cr({ deletionTimestamp: '2026-11-26T12:00:00Z' })));
  t.same(primaryKeys({ type: 'updated', old, object: cr({ generation: 2 }) }), ['ns/m']);
});

t.test('adds and deletes of the CR always enqueue', async (t) => {
  t.same(primaryKeys({ type: 'added', object: cr() }), ['ns/m']);
  t.same(primaryKeys({ type: 'deleted', object: cr() }), ['ns/m']);
});

t.test('objects without generation: any non-status change counts', async (t) => {
  const cm = (data: Record<string, string>, rv: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'ns', resourceVersion: rv },
    data,
  });
  t.ok(isSignificantUpdate(cm({ a: '1' }, '1'), cm({ a: '2' }, '2')));
  t.notOk(isSignificantUpdate(cm({ a: '1' }, '1'), cm({ a: '1' }, '2')));
});

const child = (owners: NonNullable<KubeObject['metadata']['ownerReferences']>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'm', namespace: 'ns', ownerReferences: owners },
});

t.test('owned objects map to their controller owner of the primary kind', async (t) => {
  const owner = {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    name: 'm1',
    uid: 'u',
    controller: true,
  };
  t.equal(controllerOwnerKey(child([owner]), CR), 'ns/m1');
  t.equal(
    controllerOwnerKey(child([{ ...owner, controller: false }]), CR),
    undefined,
    'non-controller owner',
  );
  t.equal(controllerOwnerKey(child([{ ...owner, kind: 'Other' }]), CR), undefined, 'other kind');
  t.equal(controllerOwnerKey(child([{ ...owner, apiVersion: 'other.io/v1' }]), CR), undefined, 'other group');
  t.equal(
    controllerOwnerKey(child([{ ...owner, apiVersion: 'anylog.co/v1beta1' }]), CR),
    'ns/m1',
    'any version',
  );
});

t.test('an owner change enqueues both old and new owner', async (t) => {
  const o = (name: string) => ({
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    name,
    uid: name,
    controller: true,
  });
  const keys = ownedKeys({ type: 'updated', old: child([o('a')]), object: child([o('b')]) }, CR);
  t.same([...keys].sort(), ['ns/a', 'ns/b']);
  t.same(ownedKeys({ type: 'added', object: child([]) }, CR), []);
});
