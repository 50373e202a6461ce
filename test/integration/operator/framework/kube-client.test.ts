// KubeClient against the real API server: server-side apply is idempotent, the status subresource is
// written by apply under its own field manager, the finalizer apply owns only its entry, errors are
// classified from the Status body, and every request is counted with its method.
import t from 'tap';
import { finalizerApplyBody } from '../../../../src/operator/framework/finalizers.js';
import {
  isAlreadyExists,
  isConflict,
  isNotFound,
  type KubeObject,
} from '../../../../src/operator/framework/kube.js';
import {
  CONFIGMAPS,
  FM,
  WIDGETS,
  configMap,
  ensureWidgetCrd,
  newClient,
  testNamespace,
} from './fixtures/cluster.js';

const { kube, metrics } = newClient();

t.test('kube client against the control plane', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-client');
  await ensureWidgetCrd(kube);

  await t.test('server-side apply is idempotent: a second apply changes nothing', async (t) => {
    const desired = configMap(ns, 'applied', { a: '1' });
    const first = await kube.apply(CONFIGMAPS, desired, FM);
    const second = await kube.apply(CONFIGMAPS, desired, FM);
    t.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'same resourceVersion');
    const changed = await kube.apply(CONFIGMAPS, configMap(ns, 'applied', { a: '2' }), FM);
    t.not(changed.metadata.resourceVersion, first.metadata.resourceVersion);
    t.same(changed['data'], { a: '2' });
    t.notOk('managedFields' in changed.metadata, 'managedFields stripped');
  });

  await t.test('fields dropped from an apply are removed (apply semantics, not merge)', async (t) => {
    await kube.apply(CONFIGMAPS, configMap(ns, 'shrink', { a: '1', b: '2' }), FM);
    const after = await kube.apply(CONFIGMAPS, configMap(ns, 'shrink', { a: '1' }), FM);
    t.same(after['data'], { a: '1' });
  });

  await t.test('createIfAbsent creates once, then returns the existing object', async (t) => {
    const one = await kube.createIfAbsent(CONFIGMAPS, configMap(ns, 'once', { v: 'first' }), FM);
    const two = await kube.createIfAbsent(CONFIGMAPS, configMap(ns, 'once', { v: 'second' }), FM);
    t.ok(one.created);
    t.notOk(two.created);
    t.same(two.object['data'], { v: 'first' }, 'existing content kept');
    const err = await kube.create(CONFIGMAPS, configMap(ns, 'once', {}), FM).catch((e: unknown) => e);
    t.ok(isAlreadyExists(err));
  });

  await t.test('merge patch and guarded JSON patch', async (t) => {
    await kube.apply(CONFIGMAPS, configMap(ns, 'patched', { a: '1' }), FM);
    const merged = await kube.mergePatch(
      CONFIGMAPS,
      { namespace: ns, name: 'patched' },
      { data: { b: '2' } },
      FM,
    );
    t.same(merged['data'], { a: '1', b: '2' });
    const ok = await kube.jsonPatch(
      CONFIGMAPS,
      { namespace: ns, name: 'patched' },
      [
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'replace', path: '/data/a', value: '3' },
      ],
      FM,
    );
    t.equal((ok['data'] as Record<string, string>)['a'], '3');
    const failed = await kube
      .jsonPatch(
        CONFIGMAPS,
        { namespace: ns, name: 'patched' },
        [
          { op: 'test', path: '/data/a', value: '1' },
          { op: 'replace', path: '/data/a', value: '4' },
        ],
        FM,
      )
      .catch((e: unknown) => e);
    t.ok(failed instanceof Error && (failed as { status?: number }).status === 422, 'failed test op → 422');
  });

  await t.test('status subresource is written by apply and leaves spec alone', async (t) => {
    const widget: KubeObject = {
      apiVersion: 'framework.test.anylog.co/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: ns },
      spec: { size: 1 },
    };
    const created = await kube.create(WIDGETS, widget, FM);
    const status = { phase: 'Running', note: 'hello' };
    const written = await kube.applyStatus(
      WIDGETS,
      { ...created, status },
      { fieldManager: 'framework-test-status' },
    );
    t.same(written['status'], status);
    t.same(written['spec'], { size: 1 });
    t.equal(written.metadata.generation, created.metadata.generation, 'status writes do not bump generation');
    const again = await kube.applyStatus(
      WIDGETS,
      { ...created, status },
      { fieldManager: 'framework-test-status' },
    );
    t.equal(
      again.metadata.resourceVersion,
      written.metadata.resourceVersion,
      'identical status apply is a no-op',
    );
    const shrunk = await kube.applyStatus(
      WIDGETS,
      { ...created, status: { phase: 'Running' } },
      { fieldManager: 'framework-test-status' },
    );
    t.same(shrunk['status'], { phase: 'Running' }, 'apply removed the field the manager no longer sets');
    const ignored = await kube.apply(WIDGETS, { ...created, status: { phase: 'Bogus' } }, FM);
    t.same(ignored['status'], { phase: 'Running' }, 'apply on the main resource never writes status');
  });

  await t.test('the finalizer apply owns only its entry', async (t) => {
    const w = await kube.create(
      WIDGETS,
      {
        apiVersion: 'framework.test.anylog.co/v1',
        kind: 'Widget',
        metadata: { name: 'w2', namespace: ns },
        spec: {},
      },
      FM,
    );
    const opts = { fieldManager: 'framework-test-finalizer' };
    await kube.apply(WIDGETS, finalizerApplyBody(w, 'example.com/ours', true), opts);
    await kube.mergePatch(
      WIDGETS,
      { namespace: ns, name: 'w2' },
      { metadata: { finalizers: ['example.com/ours', 'example.com/theirs'] } },
      FM,
    );
    const removed = await kube.apply(WIDGETS, finalizerApplyBody(w, 'example.com/ours', false), opts);
    t.same(removed.metadata.finalizers, ['example.com/theirs'], 'other finalizers untouched');
    await kube.mergePatch(WIDGETS, { namespace: ns, name: 'w2' }, { metadata: { finalizers: null } }, FM);
  });

  await t.test('errors are classified from the Status body', async (t) => {
    t.equal(await kube.get(CONFIGMAPS, { namespace: ns, name: 'missing' }), undefined);
    const nf = await kube
      .mergePatch(CONFIGMAPS, { namespace: ns, name: 'missing' }, { data: {} }, FM)
      .catch((e: unknown) => e);
    t.ok(isNotFound(nf));
    t.equal((nf as { reason?: string }).reason, 'NotFound');
    const current = await kube.apply(CONFIGMAPS, configMap(ns, 'cas', { a: '1' }), FM);
    await kube.apply(CONFIGMAPS, configMap(ns, 'cas', { a: '2' }), FM);
    const stale = await kube.replace(CONFIGMAPS, current, FM).catch((e: unknown) => e);
    t.ok(isConflict(stale), 'PUT with an old resourceVersion → Conflict');
    t.equal(await kube.delete(CONFIGMAPS, { namespace: ns, name: 'missing' }), false);
  });

  await t.test('a watch delivers events and ends on abort', async (t) => {
    const page = await kube.list(CONFIGMAPS, { namespace: ns });
    const stop = new AbortController();
    const seen: string[] = [];
    let opened = false;
    const watching = kube.watch(
      CONFIGMAPS,
      {
        namespace: ns,
        resourceVersion: page.resourceVersion,
        timeoutSeconds: 60,
        signal: stop.signal,
        onOpen: () => (opened = true),
      },
      (e) => {
        seen.push(`${e.type}:${e.object.metadata.name}`);
        if (e.type === 'ADDED' && e.object.kind === 'ConfigMap') stop.abort();
      },
    );
    await new Promise((r) => setTimeout(r, 500));
    await kube.create(CONFIGMAPS, configMap(ns, 'watched', {}), FM);
    t.equal(await watching, 'aborted');
    t.ok(opened, 'onOpen called once the server accepted the watch');
    t.same(seen, ['ADDED:watched']);
  });

  await t.test('every request is counted with code, method and host', async (t) => {
    const before = await metrics.value('rest_client_requests_total', { method: 'PATCH' });
    await kube.apply(CONFIGMAPS, configMap(ns, 'counted', { a: '1' }), FM);
    t.equal(await metrics.value('rest_client_requests_total', { method: 'PATCH' }), before + 1);
    t.ok((await metrics.value('rest_client_requests_total', { method: 'GET', code: '404' })) >= 1);
    t.ok((await metrics.value('rest_client_requests_total', { method: 'PUT', code: '409' })) >= 1);
    t.match(
      await metrics.text(),
      /rest_client_requests_total\{code="200",method="PATCH",host="127\.0\.0\.1:\d+"\}/,
    );
  });
});
