// The AnyLogMaster registration (controller.ts) against the framework's own Controller: the primary type,
// owned and watched types with their selector and key mapping, concurrency, the cleanup finalizer (when
// and what it runs), the reconcile handler and the Ready refresh timer.
import t from 'tap';
import { FINALIZER_CLEANUP } from '../../../../src/api/labels.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import { Controller, type ControllerSpec } from '../../../../src/operator/framework/controller.js';
import { PermanentError } from '../../../../src/operator/framework/errors.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import {
  CONTROLLER_NAME,
  anyLogMasterControllerSpec,
  registerAnyLogMasterController,
  type ControllerHost,
} from '../../../../src/operator/anylogmaster/controller.js';
import type { AnyLogMasterSettings } from '../../../../src/operator/anylogmaster/deps.js';
import {
  ANYLOG_MASTERS,
  CONFIGMAPS,
  CRONJOBS,
  JOBS,
  NETWORKPOLICIES,
  PODS,
  SECRETS,
  SERVICES,
  STATEFULSETS,
  podToKeys,
} from '../../../../src/operator/anylogmaster/resources.js';
import { UTC_NOON } from '../../../helpers/fake-clock.js';
import { crFromFixture } from '../../render/helpers.js';
import { TEST_SETTINGS, noNodeClient, passFor } from './fixtures/pass-env.js';

const SELECTOR = 'app.kubernetes.io/managed-by=anylog-operator';

/** A host that builds the framework's Controller and keeps the specs it was given. */
function host(): ControllerHost & { specs: ControllerSpec[] } {
  const specs: ControllerSpec[] = [];
  return {
    specs,
    controller(spec) {
      specs.push(spec);
      return new Controller(spec);
    },
  };
}

function register(config: Partial<AnyLogMasterSettings> = {}): {
  controller: Controller;
  specs: ControllerSpec[];
} {
  const h = host();
  const controller = registerAnyLogMasterController(h, {
    config: { ...TEST_SETTINGS, ...config },
    metrics: new Metrics({ prefix: 'anylog_operator_test', defaultMetrics: false }),
    nodeClient: noNodeClient,
    random: () => 0.5,
  });
  return { controller, specs: h.specs };
}

const object = (extra: Record<string, unknown>): KubeObject => ({
  apiVersion: 'anylog.co/v1alpha1',
  kind: 'AnyLogMaster',
  metadata: { name: 'm', namespace: 'anylog' },
  ...extra,
});

t.test('the registration spec', async (t) => {
  const spec = anyLogMasterControllerSpec();
  t.equal(CONTROLLER_NAME, 'anylogmaster');
  t.equal(spec.name, 'anylogmaster');
  t.equal(spec.type, ANYLOG_MASTERS);
  t.equal(spec.labelSelector, undefined, 'every AnyLogMaster is watched');
  t.same(
    spec.owns?.map((o) => o.type),
    [STATEFULSETS, SERVICES, CONFIGMAPS, SECRETS, NETWORKPOLICIES, CRONJOBS, JOBS],
  );
  t.same(
    spec.owns?.map((o) => o.labelSelector),
    Array<string>(7).fill(SELECTOR),
    'owned kinds only by the managed-by selector',
  );
  t.equal(spec.watches?.length, 1);
  const [pods] = spec.watches ?? [];
  t.equal(pods?.type, PODS);
  t.equal(pods?.labelSelector, SELECTOR);
  t.equal(pods?.mapToKey, podToKeys);
  t.notOk('maxConcurrentReconciles' in spec, 'the framework default applies');
  t.equal(anyLogMasterControllerSpec(3).maxConcurrentReconciles, 3);
});

t.test('pods map to the CR of their instance label', async (t) => {
  const [pods] = anyLogMasterControllerSpec().watches ?? [];
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'master-ledger-0',
      namespace: 'anylog',
      labels: { 'app.kubernetes.io/instance': 'master' },
    },
  };
  t.same(pods?.mapToKey(pod), ['anylog/master']);
});

t.test(
  'registration hands the spec to the host, with maxConcurrentReconciles from the settings',
  async (t) => {
    const plain = register();
    t.equal(plain.specs.length, 1);
    t.equal(plain.controller.spec, plain.specs[0]);
    t.equal(plain.controller.name, 'anylogmaster');
    t.notOk('maxConcurrentReconciles' in plain.controller.spec);
    t.equal(register({ maxConcurrentReconciles: 4 }).controller.spec.maxConcurrentReconciles, 4);
  },
);

t.test('the cleanup finalizer: only under deletionPolicy Delete', async (t) => {
  const finalizer = register().controller.finalizerSpec;
  t.equal(finalizer?.name, FINALIZER_CLEANUP);
  t.equal(finalizer?.name, 'anylog.co/cleanup');
  t.equal(finalizer?.when(object({ spec: { deletionPolicy: 'Delete' } })), true);
  t.equal(finalizer?.when(object({ spec: { deletionPolicy: 'Retain' } })), false);
  t.equal(finalizer?.when(object({ spec: {} })), false);
  t.equal(finalizer?.when(object({})), false);
});

t.test('the finalizer runs the cleanup: Terminating is written and it resolves', async (t) => {
  const base = crFromFixture('minimal.yaml');
  const cr: AnyLogMaster = {
    ...base,
    metadata: {
      ...base.metadata,
      generation: 1,
      finalizers: [FINALIZER_CLEANUP],
      deletionTimestamp: new Date(UTC_NOON).toISOString(),
    },
    spec: { ...base.spec, deletionPolicy: 'Delete' },
  };
  const { ctx, kube, events } = passFor(cr);
  const finalizer = register().controller.finalizerSpec;
  t.equal(await finalizer?.cleanup(ctx), undefined);
  const writes = kube.callsOf('applyStatus', ANYLOG_MASTERS);
  t.equal(writes.length, 1);
  t.equal((writes[0]?.body as { status?: { phase?: string } }).status?.phase, 'Terminating');
  t.same(events, []);
});

t.test('the reconcile handler runs a reconcile pass', async (t) => {
  const { ctx } = passFor(crFromFixture('minimal.yaml'));
  const handler = register().controller.handler;
  t.ok(handler);
  const invalid = { ...ctx, object: { ...ctx.object, spec: { company: 'New Company' } } };
  const err = await handler?.(invalid).catch((e: unknown) => e);
  t.type(err, PermanentError, 'an invalid spec ends the pass without retry');
  t.equal((err as PermanentError).reason, 'InvalidSpec');
  t.equal(
    (ctx.status.get()?.['conditions'] as { type: string; reason: string }[]).find((c) => c.type === 'Stalled')
      ?.reason,
    'InvalidSpec',
  );
});

t.test('the Ready refresh timer: every 30 s ± 10 %, only while Ready is True', async (t) => {
  const timer = register().controller.timerSpec;
  t.equal(timer?.everyMs, 30_000);
  t.equal(timer?.jitter, 0.1);
  const when = timer?.when;
  if (when === undefined) throw new Error('the timer has no when');
  const cond = (type: string, status: string) => ({
    type,
    status,
    reason: 'X',
    message: '',
    lastTransitionTime: '2026-11-26T12:00:00Z',
  });
  t.equal(when(object({ status: { conditions: [cond('Ready', 'True')] } })), true);
  t.equal(
    when(object({ status: { conditions: [cond('Reconciling', 'True'), cond('Ready', 'True')] } })),
    true,
  );
  t.equal(when(object({ status: { conditions: [cond('Ready', 'False')] } })), false);
  t.equal(when(object({ status: { conditions: [cond('Ready', 'Unknown')] } })), false);
  t.equal(when(object({ status: { conditions: [cond('Reconciling', 'True')] } })), false, 'another type');
  t.equal(when(object({ status: { conditions: [] } })), false);
  t.equal(when(object({})), false, 'no status');
});
