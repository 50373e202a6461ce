// The manager end to end against the real API server: a controller on a test CRD writes status once,
// its own status write does not re-trigger it, and at steady state (repeated resync passes) it makes
// zero write requests. Owned ConfigMaps wake the owner. Shutdown drains and returns 'stopped'. A status
// write (the handler's own or the framework's end-of-pass one) is in the informer cache as soon as the
// call returns, even while the watch lags behind by seconds.
import t from 'tap';
import type { KubeApi, KubeObject, WatchEvent } from '../../../../src/operator/framework/kube.js';
import {
  CONFIGMAPS,
  FM,
  WIDGETS,
  ensureWidgetCrd,
  newClient,
  runInTest,
  testNamespace,
  waitFor,
} from './fixtures/cluster.js';
import { testManager } from './fixtures/manager.js';

const { kube, metrics } = newClient();
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

async function writeCount(): Promise<number> {
  let n = 0;
  for (const method of WRITES) n += await metrics.value('rest_client_requests_total', { method });
  return n;
}

t.test('manager: status once, no self-trigger, zero writes at steady state', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-manager');
  await ensureWidgetCrd(kube);
  const manager = testManager({
    kube,
    metrics,
    namespaces: [ns],
    fieldManager: 'framework-test',
    reportingController: 'example.com/framework-test',
    extra: { resyncPeriodMs: 1500, shutdownTimeoutMs: 5000 },
  });
  const passes: string[] = [];
  manager
    .controller({
      name: 'widgets',
      type: WIDGETS,
      owns: [{ type: CONFIGMAPS, labelSelector: 'app.kubernetes.io/managed-by=framework-test' }],
    })
    .reconcile(async (ctx) => {
      passes.push(ctx.key);
      const gen = ctx.object.metadata.generation ?? 0;
      ctx.status.set({
        phase: 'Running',
        observedGeneration: gen,
        conditions: [
          { type: 'Ready', status: 'True', reason: 'Ready', message: 'ok', observedGeneration: gen },
        ],
      });
      const owned = ctx.cache(CONFIGMAPS).byOwner(ctx.object.metadata.uid ?? '');
      if (owned.length === 0) {
        await ctx.kube.apply(
          CONFIGMAPS,
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: `${ctx.object.metadata.name}-child`,
              namespace: ctx.object.metadata.namespace ?? ns,
              labels: { 'app.kubernetes.io/managed-by': 'framework-test' },
              ownerReferences: [
                {
                  apiVersion: ctx.object.apiVersion,
                  kind: ctx.object.kind,
                  name: ctx.object.metadata.name,
                  uid: ctx.object.metadata.uid ?? '',
                  controller: true,
                },
              ],
            },
            data: { a: '1' },
          },
          { fieldManager: 'framework-test' },
        );
      }
      return undefined;
    });

  const running = runInTest(t, manager);

  const widget: KubeObject = {
    apiVersion: 'framework.test.anylog.co/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: ns },
    spec: { size: 1 },
  };
  await kube.create(WIDGETS, widget, FM);
  await waitFor('status written', 30_000, async () => {
    const w = await kube.get(WIDGETS, { namespace: ns, name: 'w' });
    return (w?.['status'] as { phase?: string } | undefined)?.phase === 'Running';
  });
  await waitFor('owned ConfigMap in the cache', 20_000, () => manager.readiness().ok && passes.length >= 2);
  const firstWritten = await kube.get(WIDGETS, { namespace: ns, name: 'w' });
  const ltt = (firstWritten?.['status'] as { conditions: { lastTransitionTime: string }[] }).conditions[0]
    ?.lastTransitionTime;

  // One more pass after the status write and the child's creation, then measure over two resyncs.
  const settled = passes.length;
  await waitFor('a pass after the first writes', 20_000, () => passes.length > settled);
  const writesBefore = await writeCount();
  const passesBefore = passes.length;
  await waitFor('two resync passes', 20_000, () => passes.length - passesBefore >= 2);
  t.equal(await writeCount(), writesBefore, 'zero write requests at steady state');
  const later = await kube.get(WIDGETS, { namespace: ns, name: 'w' });
  t.equal(
    later?.metadata.resourceVersion,
    (await kube.get(WIDGETS, { namespace: ns, name: 'w' }))?.metadata.resourceVersion,
  );
  t.equal(
    (later?.['status'] as { conditions: { lastTransitionTime: string }[] }).conditions[0]?.lastTransitionTime,
    ltt,
    'lastTransitionTime unchanged',
  );

  // An owned object change wakes the owner.
  const beforeOwned = passes.length;
  await kube.mergePatch(CONFIGMAPS, { namespace: ns, name: 'w-child' }, { data: { a: '2' } }, FM);
  await waitFor('owner re-queued by its child', 10_000, () => passes.length > beforeOwned);

  // A spec change bumps generation and the status follows.
  await kube.mergePatch(WIDGETS, { namespace: ns, name: 'w' }, { spec: { size: 2 } }, FM);
  await waitFor('observedGeneration 2', 15_000, async () => {
    const w = await kube.get(WIDGETS, { namespace: ns, name: 'w' });
    return (w?.['status'] as { observedGeneration?: number } | undefined)?.observedGeneration === 2;
  });

  t.equal(await metrics.value('controller_runtime_reconcile_errors_total', { controller: 'widgets' }), 0);
  t.equal(await running.stop(), 'stopped');
  t.notOk(manager.readiness().ok, 'not ready after shutdown');
});

/**
 * The real client with every watch event handed on `delayMs` late (a lagging watch) and status writes
 * counted; every other verb goes straight through.
 */
function laggingWatch(delayMs: number): { kube: KubeApi; statusWrites: () => number } {
  let writes = 0;
  const lagging = new Proxy(kube, {
    get(target, prop): unknown {
      if (prop === 'watch') {
        const watch: KubeApi['watch'] = (type, options, onEvent) =>
          target.watch(type, options, (event: WatchEvent) => {
            setTimeout(() => {
              onEvent(event);
            }, delayMs);
          });
        return watch;
      }
      if (prop === 'applyStatus') {
        const applyStatus: KubeApi['applyStatus'] = (type, object, options) => {
          writes += 1;
          return target.applyStatus(type, object, options);
        };
        return applyStatus;
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { kube: lagging, statusWrites: () => writes };
}

interface Seen {
  readonly pass: number;
  readonly resourceVersion: string | undefined;
  readonly phase: string | undefined;
  readonly note: string | undefined;
}

const statusOf = (o: KubeObject | undefined): { phase?: string; note?: string } =>
  (o?.['status'] as { phase?: string; note?: string } | undefined) ?? {};

t.test('manager: a status write is in the cache when the call returns', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-writeback');
  await ensureWidgetCrd(kube);
  const LAG_MS = 3000;
  const lag = laggingWatch(LAG_MS);
  const manager = testManager({
    kube: lag.kube,
    eventsKube: kube,
    metrics,
    namespaces: [ns],
    fieldManager: 'framework-test',
    reportingController: 'example.com/framework-test',
    extra: { shutdownTimeoutMs: 5000 },
  });
  const seen: Seen[] = [];
  const handlerWrite: { returned?: string; cached?: string; cachedNote?: string } = {};
  manager.controller({ name: 'widgets-writeback', type: WIDGETS }).reconcile(async (ctx) => {
    const pass = seen.length + 1;
    const status = statusOf(ctx.object);
    seen.push({ pass, resourceVersion: ctx.object.metadata.resourceVersion, ...status } as Seen);
    if (pass === 1) {
      // The handler's own status write through ctx.kube: in the cache right after the call.
      const written = await ctx.kube.applyStatus(
        WIDGETS,
        {
          apiVersion: ctx.object.apiVersion,
          kind: ctx.object.kind,
          metadata: { name: ctx.object.metadata.name, namespace: ns },
          status: { phase: 'Pending', note: 'initial' },
        },
        { fieldManager: 'framework-test-initial' },
      );
      const cached = ctx.cache(WIDGETS).get(ctx.key);
      handlerWrite.returned = written.metadata.resourceVersion ?? '';
      handlerWrite.cached = cached?.metadata.resourceVersion ?? '';
      handlerWrite.cachedNote = statusOf(cached).note ?? '';
    }
    ctx.status.set({ phase: 'Running', note: 'final' });
    // Two quick follow-up passes, well inside the watch lag; then nothing.
    return pass < 3 ? { requeueAfterMs: 100 } : undefined;
  });

  const running = runInTest(t, manager);
  await waitFor('manager ready', 20_000, () => manager.readiness().ok);
  await kube.create(
    WIDGETS,
    { apiVersion: 'framework.test.anylog.co/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns } },
    FM,
  );
  await waitFor('three passes', 20_000 + LAG_MS, () => seen.length >= 3);

  t.not(handlerWrite.returned, '', 'the handler wrote a status');
  t.equal(handlerWrite.cached, handlerWrite.returned, "handler's write: cache at the returned version");
  t.equal(handlerWrite.cachedNote, 'initial');
  const [first, second, third] = seen;
  t.equal(first?.phase, undefined, 'pass 1 starts without a status');
  t.equal(second?.phase, 'Running', "pass 2 (inside the watch lag) reads the framework's write");
  t.equal(second?.note, 'final');
  t.equal(third?.resourceVersion, second?.resourceVersion, 'pass 3 sees the same version');
  t.equal(lag.statusWrites(), 2, 'initial + final status; passes 2 and 3 write nothing');
  const server = await kube.get(WIDGETS, { namespace: ns, name: 'w' });
  t.equal(server?.metadata.resourceVersion, second?.resourceVersion, 'the cache held the server version');

  // The lagging watch events (the object's creation and both status writes) arrive now: none is newer
  // than the cache, none starts a pass.
  await new Promise((r) => setTimeout(r, LAG_MS + 1500));
  t.equal(seen.length, 3, 'no extra pass when the lagging watch events land');
  t.equal(lag.statusWrites(), 2, 'no extra status write');
  t.equal(
    manager.informer(WIDGETS).get(`${ns}/w`)?.metadata.resourceVersion,
    server?.metadata.resourceVersion,
  );
  t.equal(await running.stop(), 'stopped');
});
