// Reflector against the real API server: a paginated LIST syncs the cache, the WATCH delivers adds,
// updates and deletes, and listeners see every delta. A status write's answer written back is in the
// cache at once; the write's own watch event then changes nothing, and a stale answer never wins.
import t from 'tap';
import { Reflector } from '../../../../src/operator/framework/reflector.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';
import {
  CONFIGMAPS,
  FM,
  WIDGETS,
  configMap,
  ensureWidgetCrd,
  newClient,
  runUntilTeardown,
  testNamespace,
  waitFor,
} from './fixtures/cluster.js';

const { kube, metrics } = newClient();

t.test('a reflector lists, watches and syncs ConfigMaps', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-reflector');
  for (let i = 0; i < 5; i += 1)
    await kube.create(CONFIGMAPS, configMap(ns, `pre-${i}`, { i: String(i) }), FM);

  const reflector = new Reflector({
    kube,
    type: CONFIGMAPS,
    namespace: ns,
    clock: realClock,
    logger: silentLogger(),
    metrics,
    pageSize: 2,
  });
  const deltas = runUntilTeardown(t, reflector);

  const listsBefore = await metrics.value('rest_client_requests_total', { method: 'GET', code: '200' });
  await reflector.waitForSync(AbortSignal.timeout(30_000));
  t.ok(reflector.hasSynced);
  const names = reflector.cache.list().map((o) => o.metadata.name);
  t.same(
    names.filter((n) => n.startsWith('pre-')).sort(),
    ['pre-0', 'pre-1', 'pre-2', 'pre-3', 'pre-4'],
    'all pages listed',
  );
  t.ok(
    (await metrics.value('rest_client_requests_total', { method: 'GET', code: '200' })) - listsBefore >= 3,
    'three pages of two',
  );
  const first = reflector.cache.get(`${ns}/pre-0`);
  t.equal(first?.kind, 'ConfigMap', 'list items carry kind');
  t.equal(first?.apiVersion, 'v1');

  await kube.create(CONFIGMAPS, configMap(ns, 'live', { v: '1' }), FM);
  await waitFor('ADDED through the watch', 20_000, () => reflector.cache.get(`${ns}/live`) !== undefined);
  await kube.mergePatch(CONFIGMAPS, { namespace: ns, name: 'live' }, { data: { v: '2' } }, FM);
  await waitFor('MODIFIED through the watch', 20_000, () => {
    const data = reflector.cache.get(`${ns}/live`)?.['data'] as Record<string, string> | undefined;
    return data?.['v'] === '2';
  });
  await kube.delete(CONFIGMAPS, { namespace: ns, name: 'live' });
  await waitFor('DELETED through the watch', 20_000, () => reflector.cache.get(`${ns}/live`) === undefined);

  const live = deltas.filter((d) => d.object.metadata.name === 'live').map((d) => d.type);
  t.same(live, ['added', 'updated', 'deleted'], 'listeners saw each change once');
  t.ok(reflector.lastEventAge() < 20_000, 'recent sign of life');
});

t.test('a status write written back is cached at once and its watch event adds no delta', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-writeback');
  await ensureWidgetCrd(kube);
  const reflector = new Reflector({
    kube,
    type: WIDGETS,
    namespace: ns,
    clock: realClock,
    logger: silentLogger(),
    metrics,
  });
  const deltas = runUntilTeardown(t, reflector);
  await reflector.waitForSync(AbortSignal.timeout(30_000));
  const key = `${ns}/w`;
  const ref = { namespace: ns, name: 'w' };
  const created = await kube.create(
    WIDGETS,
    { apiVersion: 'framework.test.anylog.co/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns } },
    FM,
  );
  await waitFor('ADDED through the watch', 20_000, () => reflector.cache.get(key) !== undefined);

  const written = await kube.applyStatus(
    WIDGETS,
    {
      apiVersion: created.apiVersion,
      kind: created.kind,
      metadata: { name: 'w', namespace: ns },
      status: { phase: 'Running' },
    },
    { fieldManager: 'framework-test-status' },
  );
  // Usually the watch has not delivered the write yet (then this stores it); if it has, nothing changes.
  reflector.writeBack(written);
  const cached = reflector.cache.get(key);
  t.equal(cached?.metadata.resourceVersion, written.metadata.resourceVersion, 'cached as the call returns');
  t.equal((cached?.['status'] as { phase?: string } | undefined)?.phase, 'Running');
  t.notOk(reflector.writeBack(written), 'the same answer again changes nothing');

  // A later change: once its event arrived, the status write's own event (delivered before it) is past.
  await kube.mergePatch(WIDGETS, ref, { metadata: { labels: { later: 'yes' } } }, FM);
  await waitFor(
    'label change through the watch',
    20_000,
    () => reflector.cache.get(key)?.metadata.labels?.['later'] === 'yes',
  );
  t.same(
    deltas.filter((d) => d.object.metadata.name === 'w').map((d) => d.type),
    ['added', 'updated', 'updated'],
    "add, write-back, label change: the status write's watch event added no delta",
  );
  t.notOk(reflector.writeBack(written), 'a stale answer does not roll the cache back');
  t.equal(reflector.cache.get(key)?.metadata.labels?.['later'], 'yes');

  await kube.delete(WIDGETS, ref);
  await waitFor('DELETED through the watch', 20_000, () => reflector.cache.get(key) === undefined);
  t.notOk(reflector.writeBack(written), 'a write-back after the delete does not resurrect the object');
  t.equal(reflector.cache.get(key), undefined);
});
