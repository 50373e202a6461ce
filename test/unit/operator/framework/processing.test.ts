// Outcome handling of one pass, with a fake clock. The KubeApi here fails every call: these passes
// must not touch the API at all (status unchanged, no finalizer), so any call is a test failure.
import t from 'tap';
import { ObjectCache } from '../../../../src/operator/framework/cache.js';
import { Controller, type ReconcileHandler } from '../../../../src/operator/framework/controller.js';
import { NextLoop, PermanentError, TemporaryError } from '../../../../src/operator/framework/errors.js';
import type { KubeApi, KubeObject } from '../../../../src/operator/framework/kube.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { runPass, type PassDeps } from '../../../../src/operator/framework/processing.js';
import { WorkQueue } from '../../../../src/operator/framework/queue.js';
import { RateLimiter } from '../../../../src/operator/framework/rate-limiter.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { FakeClock, UTC_NOON } from '../../../helpers/fake-clock.js';

const TYPE = { group: 'example.com', version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: true };

const noApi = new Proxy({} as KubeApi, {
  get: (_t, verb) => () => Promise.reject(new Error(`unexpected API call: ${String(verb)}`)),
});

const widget = (status?: unknown): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'ns', uid: 'u', generation: 3, resourceVersion: '7' },
  spec: {},
  ...(status === undefined ? {} : { status }),
});

function setup(handler: ReconcileHandler, object: KubeObject | null = widget()) {
  const clock = new FakeClock(UTC_NOON);
  const cache = new ObjectCache();
  if (object !== null) cache.upsert(object);
  const queue = new WorkQueue(clock);
  const metrics = new Metrics({ prefix: 'test', defaultMetrics: false });
  const controller = new Controller({ name: 'widgets', type: TYPE }).reconcile(handler);
  const deps: PassDeps = {
    controller,
    primary: cache,
    kube: noApi,
    queue,
    rateLimiter: new RateLimiter({ clock, random: () => 0.5 }),
    events: { emit: () => Promise.resolve() },
    logger: silentLogger(),
    metrics,
    clock,
    fieldManagers: { apply: 'a', status: 's', finalizer: 'f' },
    stopSignal: new AbortController().signal,
    cacheOf: () => cache,
    random: () => 0.5,
  };
  return { clock, queue, metrics, deps, controller, cache };
}

/** How long until the key is queued again (ms), or undefined within the horizon. */
async function requeueDelay(
  clock: FakeClock,
  queue: WorkQueue,
  horizonMs = 60_000,
  step = 100,
): Promise<number | undefined> {
  for (let waited = 0; waited <= horizonMs; waited += step) {
    if (queue.length > 0) return waited;
    await clock.advance(step);
  }
  return undefined;
}

t.test('requeueAfterMs schedules the next pass', async (t) => {
  const s = setup(async () => ({ requeueAfterMs: 5000 }));
  t.equal(await runPass(s.deps, 'ns/w'), 'requeue_after');
  t.equal(await requeueDelay(s.clock, s.queue), 5000);
  t.equal(
    await s.metrics.value('controller_runtime_reconcile_total', {
      controller: 'widgets',
      result: 'requeue_after',
    }),
    1,
  );
});

t.test('success without a requeue leaves the key to the resync', async (t) => {
  const s = setup(async () => undefined);
  t.equal(await runPass(s.deps, 'ns/w'), 'success');
  t.equal(s.queue.delayedCount, 0);
});

t.test('a timer re-enqueues after success while its condition holds', async (t) => {
  const s = setup(async () => undefined);
  s.controller.timer({ everyMs: 30_000, jitter: 0.1, when: () => true });
  await runPass(s.deps, 'ns/w');
  t.equal(await requeueDelay(s.clock, s.queue), 30_000, 'centre of the ±10 % window');
  const off = setup(async () => undefined);
  off.controller.timer({ everyMs: 30_000, when: () => false });
  await runPass(off.deps, 'ns/w');
  t.equal(off.queue.delayedCount, 0);
});

t.test('TemporaryError requeues after its delay without counting an error', async (t) => {
  const s = setup(async () => {
    throw new TemporaryError('waiting for pod', { delayMs: 5000, reason: 'WaitingForPod' });
  });
  t.equal(await runPass(s.deps, 'ns/w'), 'requeue_after');
  t.equal(await requeueDelay(s.clock, s.queue), 5000);
  t.equal(await s.metrics.value('controller_runtime_reconcile_errors_total'), 0);
});

t.test('other errors back off 1 s, 2 s, 4 s and reset on success', async (t) => {
  let fail = true;
  let attempts: number[] = [];
  const s = setup(async (ctx) => {
    attempts.push(ctx.attempt);
    if (fail) throw new Error('boom');
    return undefined;
  });
  const delays: (number | undefined)[] = [];
  for (let i = 0; i < 3; i += 1) {
    t.equal(await runPass(s.deps, 'ns/w'), 'error');
    delays.push(await requeueDelay(s.clock, s.queue));
    const key = await s.queue.get();
    s.queue.done(key!);
  }
  t.same(delays, [1000, 2000, 4000]);
  t.same(attempts, [0, 1, 2], 'attempt counts consecutive failures');
  fail = false;
  await runPass(s.deps, 'ns/w');
  fail = true;
  attempts = [];
  await runPass(s.deps, 'ns/w');
  t.same(attempts, [0], 'success reset the backoff');
  t.equal(await requeueDelay(s.clock, s.queue), 1000);
  t.equal(await s.metrics.value('controller_runtime_reconcile_errors_total', { controller: 'widgets' }), 4);
  t.equal(await s.metrics.value('workqueue_retries_total'), 4);
});

t.test('programming errors count as panics', async (t) => {
  const s = setup(async () => {
    throw new TypeError('undefined is not a function');
  });
  await runPass(s.deps, 'ns/w');
  t.equal(await s.metrics.value('controller_runtime_reconcile_panics_total'), 1);
});

t.test('PermanentError stops retrying and counts a terminal error', async (t) => {
  const s = setup(async () => {
    throw new PermanentError('bad spec', { reason: 'InvalidSpec' });
  });
  t.equal(await runPass(s.deps, 'ns/w'), 'error');
  t.equal(await requeueDelay(s.clock, s.queue, 900_000, 10_000), undefined, 'not within 15 min');
  t.equal(await s.metrics.value('controller_runtime_terminal_reconcile_errors_total'), 1);
});

t.test('NextLoop ends the pass quietly', async (t) => {
  const s = setup(async () => {
    throw new NextLoop(2000);
  });
  t.equal(await runPass(s.deps, 'ns/w'), 'requeue_after');
  t.equal(await requeueDelay(s.clock, s.queue), 2000);
  t.equal(await s.metrics.value('controller_runtime_reconcile_errors_total'), 0);
});

t.test('an unchanged status is not written (no API call)', async (t) => {
  const status = {
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'ok',
        observedGeneration: 3,
        lastTransitionTime: '2026-11-26T11:00:00Z',
      },
    ],
  };
  const s = setup(async (ctx) => {
    ctx.status.set({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'ok', observedGeneration: 3 }],
    });
    return { requeueAfterMs: 30_000 };
  }, widget(status));
  t.equal(await runPass(s.deps, 'ns/w'), 'requeue_after', 'no status write attempted');
});

t.test('the status is compared with the newest cached state, not the pass snapshot', async (t) => {
  // The handler wrote a status itself during the pass (the manager's KubeApi writes the answer back
  // into the cache); the framework's end-of-pass write is skipped when it would write the same.
  const running = {
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'ok',
        observedGeneration: 3,
        lastTransitionTime: '2026-11-26T11:59:00Z',
      },
    ],
  };
  const s = setup(
    async (ctx) => {
      t.equal(ctx.object.metadata.resourceVersion, '7', 'the pass starts from the cached object');
      s.cache.writeBack({
        ...ctx.object,
        metadata: { ...ctx.object.metadata, resourceVersion: '8' },
        status: running,
      });
      ctx.status.set({
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'True', reason: 'Ready', message: 'ok', observedGeneration: 3 },
        ],
      });
      return { requeueAfterMs: 30_000 };
    },
    widget({ phase: 'Pending' }),
  );
  t.equal(await runPass(s.deps, 'ns/w'), 'requeue_after', 'no status write attempted');

  // A cached object of another uid (recreated under the same name) is not used.
  const other = setup(
    async (ctx) => {
      other.cache.remove(ctx.object);
      other.cache.upsert({
        ...ctx.object,
        metadata: { ...ctx.object.metadata, uid: 'u2', resourceVersion: '9' },
        status: running,
      });
      ctx.status.set(running);
      return undefined;
    },
    widget({ phase: 'Pending' }),
  );
  t.equal(
    await runPass(other.deps, 'ns/w'),
    'error',
    'compared with its own snapshot: a write (refused here)',
  );
});

t.test('the handler context carries key, object, attempt and a live signal', async (t) => {
  const s = setup(async (ctx) => {
    t.equal(ctx.key, 'ns/w');
    t.equal(ctx.object.metadata.generation, 3);
    t.equal(ctx.attempt, 0);
    t.notOk(ctx.signal.aborted);
    t.equal(ctx.cache(TYPE).size, 1);
    return undefined;
  });
  await runPass(s.deps, 'ns/w');
});

t.test('a pass that exceeds its timeout is aborted, retried and counted', async (t) => {
  const s = setup(
    (ctx) =>
      new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
      }),
  );
  const pass = runPass(s.deps, 'ns/w');
  await s.clock.advance(60_000);
  t.equal(await pass, 'error');
  t.equal(await s.metrics.value('controller_runtime_reconcile_timeouts_total'), 1);
});

t.test('an object gone from the cache forgets its backoff and delayed adds', async (t) => {
  const s = setup(async () => undefined, null);
  s.deps.rateLimiter.when('ns/w');
  s.queue.addAfter('ns/w', 10_000);
  t.equal(await runPass(s.deps, 'ns/w'), 'success');
  t.equal(s.deps.rateLimiter.retries('ns/w'), 0);
  t.equal(s.queue.delayedCount, 0);
});
