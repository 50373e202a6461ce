// The manager end to end against the real API server: a controller on a test CRD writes status once,
// its own status write does not re-trigger it, and at steady state (repeated resync passes) it makes
// zero write requests. Owned ConfigMaps wake the owner. Shutdown drains and returns 'stopped'.
import t from 'tap';
import { EventRecorder } from '../../../../src/operator/framework/events.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { Manager } from '../../../../src/operator/framework/manager.js';
import { realClock } from '../../../../src/shared/clock.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import {
  CONFIGMAPS,
  FM,
  WIDGETS,
  ensureWidgetCrd,
  newClient,
  testNamespace,
  waitFor,
} from './fixtures/cluster.js';

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
  const logger = silentLogger();
  const manager = new Manager({
    kube,
    clock: realClock,
    logger,
    metrics,
    events: new EventRecorder({
      kube,
      clock: realClock,
      logger,
      reportingController: 'example.com/framework-test',
      reportingInstance: 'test',
      fieldManager: 'framework-test',
    }),
    fieldManagers: {
      apply: 'framework-test',
      status: 'framework-test-status',
      finalizer: 'framework-test-finalizer',
    },
    namespaces: [ns],
    resyncPeriodMs: 1500,
    shutdownTimeoutMs: 5000,
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

  const stop = new AbortController();
  const running = manager.run(stop.signal);
  t.teardown(async () => {
    stop.abort();
    await running;
  });

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

  // Let the status write and the child's creation settle, then measure over several resyncs.
  await new Promise((r) => setTimeout(r, 2000));
  const writesBefore = await writeCount();
  const passesBefore = passes.length;
  await new Promise((r) => setTimeout(r, 5000));
  t.ok(passes.length - passesBefore >= 2, `resync passes ran (${passes.length - passesBefore})`);
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
  stop.abort();
  t.equal(await running, 'stopped');
  t.notOk(manager.readiness().ok, 'not ready after shutdown');
});
