// One reconcile pass (reconcile.ts): the first-pass status write, InvalidSpec, the status handed to the
// framework, transition Events, the ledger metric, the requeue or PermanentError it ends with, and the
// in-memory progress-deadline hint kept per key and generation.
import t from 'tap';
import { FIELD_MANAGER_STATUS } from '../../../../src/api/labels.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import { AppError } from '../../../../src/common/errors.js';
import type { ResolvedDeps } from '../../../../src/operator/anylogmaster/deps.js';
import { reconcileAnyLogMaster } from '../../../../src/operator/anylogmaster/reconcile.js';
import { ANYLOG_MASTERS, STATEFULSETS } from '../../../../src/operator/anylogmaster/resources.js';
import type { ReconcileContext } from '../../../../src/operator/framework/controller.js';
import { PermanentError } from '../../../../src/operator/framework/errors.js';
import { KubeApiError, type KubeObject } from '../../../../src/operator/framework/kube.js';
import type { GaugeMetric, Labels } from '../../../../src/operator/framework/metrics.js';
import type { Condition } from '../../../../src/operator/framework/status.js';
import { UTC_NOON } from '../../../helpers/fake-clock.js';
import { crFromFixture } from '../../render/helpers.js';
import { FakeKube, serverError } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';
import { CLUSTER_IP, fakeNode, policyIdOf, seedClientService, seedRolledOut } from './fixtures/pass-world.js';

const GEN = 4;
const base = crFromFixture('minimal.yaml');
const cr: AnyLogMaster = { ...base, metadata: { ...base.metadata, generation: GEN } };
const KEY = 'anylog/minimal';
const NOW_ISO = '2026-11-26T12:00:00Z'; // UTC_NOON as conditions stamp it

interface Recorded {
  readonly labels: Labels;
  readonly value: number;
}

/** The deps of a pass with the ledger gauge recorded. */
function recording(deps: ResolvedDeps): { deps: ResolvedDeps; ledgerReady: Recorded[] } {
  const ledgerReady: Recorded[] = [];
  const gauge: GaugeMetric = {
    set: (labels, value) => ledgerReady.push({ labels, value }),
    inc: () => undefined,
    dec: () => undefined,
    remove: () => undefined,
  };
  return { deps: { ...deps, domainMetrics: { ...deps.domainMetrics, ledgerReady: gauge } }, ledgerReady };
}

/** A pass of `subject` (stored status `status`) in a world whose node is rolled out and answers. */
function world(
  options: {
    readonly subject?: AnyLogMaster;
    readonly status?: Record<string, unknown>;
    readonly clusterIP?: boolean;
  } = {},
) {
  const subject = options.subject ?? cr;
  const kube = new FakeKube();
  if (options.clusterIP !== false) seedClientService(kube, subject);
  seedRolledOut(kube, subject);
  const node = fakeNode({ insertId: policyIdOf(subject) });
  const stored: AnyLogMaster =
    options.status === undefined ? subject : { ...subject, status: options.status };
  const pass = passFor(stored, { kube, nodeClient: node.factory });
  const { deps, ledgerReady } = recording(pass.deps);
  return { ...pass, deps, ledgerReady, node: node.client };
}

/** The context of the next pass: the object as the cache holds it after `status` was written. */
const nextPass = (ctx: ReconcileContext, status: unknown): ReconcileContext => ({
  ...ctx,
  object: { ...ctx.object, status },
});

function written(ctx: ReconcileContext): Record<string, unknown> {
  const status = ctx.status.get();
  if (status === undefined) throw new Error('no status was set');
  return status;
}

function conditionsOf(status: Record<string, unknown>): Condition[] {
  return status['conditions'] as Condition[];
}

function cond(status: Record<string, unknown>, type: string): Condition | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

/** A stored status that has been through passes already: Reconciling for GEN since `since`. */
function reconcilingStatus(since: string, generation = GEN): Record<string, unknown> {
  const c = (type: string, status: string, reason: string): Condition => ({
    type,
    status: status as Condition['status'],
    reason,
    message: 'm',
    observedGeneration: generation,
    lastTransitionTime: since,
  });
  return {
    phase: 'Provisioning',
    conditions: [
      c('Ready', 'Unknown', 'Progressing'),
      c('Reconciling', 'True', 'Progressing'),
      c('LedgerReady', 'True', 'Embedded'),
      c('NodeReachable', 'Unknown', 'NotChecked'),
      c('PolicyPosted', 'Unknown', 'NotChecked'),
      c('ProcessesHealthy', 'Unknown', 'NotChecked'),
    ],
  };
}

t.test('the first pass writes Ready=Unknown/Reconciling=True before any child', async (t) => {
  const { ctx, deps, kube } = world();
  await reconcileAnyLogMaster(deps, ctx);
  const writes = kube.callsOf('applyStatus', ANYLOG_MASTERS);
  t.equal(writes.length, 1);
  const [first] = writes;
  t.equal(first?.fieldManager, FIELD_MANAGER_STATUS);
  t.equal(kube.calls[0], first, 'the status write is the first API call of the pass');
  t.same(first?.ref, { namespace: 'anylog', name: 'minimal' });
  const body = first?.body as KubeObject;
  t.equal(body.apiVersion, cr.apiVersion);
  t.equal(body.kind, 'AnyLogMaster');
  t.strictSame(body.metadata, { name: 'minimal', namespace: 'anylog' });
  t.strictSame(body['status'], {
    phase: 'Pending',
    conditions: [
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: 'reconciling the first pass',
        observedGeneration: GEN,
        lastTransitionTime: NOW_ISO,
      },
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: 'reconciling the first pass',
        observedGeneration: GEN,
        lastTransitionTime: NOW_ISO,
      },
    ],
  });
});

t.test('a pass that finds conditions in the stored status does not write the initial status', async (t) => {
  const { ctx, deps, kube } = world({ status: reconcilingStatus(NOW_ISO) });
  await reconcileAnyLogMaster(deps, ctx);
  t.equal(kube.callsOf('applyStatus').length, 0);
});

t.test('a rolled-out master is Ready: status, Events, metric and the 30 s resync', async (t) => {
  const { ctx, deps, events, ledgerReady } = world();
  deps.reconcilingSince.set(KEY, { generation: GEN, sinceMs: UTC_NOON - 1000 });
  const outcome = await reconcileAnyLogMaster(deps, ctx);
  t.strictSame(outcome, { requeueAfterMs: 30_000 });
  const status = written(ctx);
  t.equal(status['phase'], 'Running');
  t.equal(status['observedGeneration'], GEN);
  t.equal(cond(status, 'Ready')?.status, 'True');
  t.equal(cond(status, 'Ready')?.reason, 'Ready');
  t.equal(cond(status, 'Reconciling'), undefined);
  t.equal(status['advertisedAddress'], CLUSTER_IP);
  t.equal(status['policyId'], policyIdOf(cr));
  t.same(status['ledger'], { mode: 'Embedded' });
  t.same(
    events.map((e) => `${e.type}/${e.reason}`),
    ['Normal/PolicyPosted', 'Normal/LedgerReady', 'Normal/Ready'],
  );
  t.same(ledgerReady, [{ labels: { namespace: 'anylog', name: 'minimal', mode: 'Embedded' }, value: 1 }]);
  t.equal(deps.reconcilingSince.has(KEY), false, 'a Ready pass forgets the progress hint');
});

t.test('the next pass from the written status changes nothing and reports no transition', async (t) => {
  const { ctx, deps, kube, events } = world();
  await reconcileAnyLogMaster(deps, ctx);
  const first = written(ctx);
  const emitted = events.length;
  const applies = kube.callsOf('apply').length;
  t.ok(applies > 0, 'the first pass applies the children (generation in flight)');
  const outcome = await reconcileAnyLogMaster(deps, nextPass(ctx, first));
  t.strictSame(outcome, { requeueAfterMs: 30_000 });
  t.equal(events.length, emitted, 'no Event: nothing transitioned');
  t.equal(kube.callsOf('apply').length, applies, 'nothing in flight: unchanged children are not applied');
  t.equal(kube.callsOf('applyStatus').length, 1, 'only the first pass wrote the initial status');
  t.same(written(ctx), first);
});

t.test('a stalled generation forces the children to be applied again', async (t) => {
  const { ctx, deps, kube } = world();
  await reconcileAnyLogMaster(deps, ctx);
  const stalled = written(ctx);
  const conditions = [
    ...conditionsOf(stalled),
    {
      type: 'Stalled',
      status: 'True',
      reason: 'ResourceConflict',
      message: 'm',
      observedGeneration: GEN,
      lastTransitionTime: NOW_ISO,
    },
  ];
  const applies = kube.callsOf('apply').length;
  await reconcileAnyLogMaster(deps, nextPass(ctx, { ...stalled, conditions }));
  t.equal(kube.callsOf('apply').length, applies * 2, 'every child is applied again');
});

t.test('an invalid spec is Stalled/InvalidSpec and ends with a PermanentError', async (t) => {
  const { ctx, deps, kube, events, ledgerReady } = world();
  const invalid = nextPass(ctx, undefined);
  const object = { ...invalid.object, spec: { company: 'New Company' } };
  const err = await reconcileAnyLogMaster(deps, { ...invalid, object }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, PermanentError);
  t.equal((err as PermanentError).reason, 'InvalidSpec');
  t.match((err as Error).message, /nodeName/);
  const status = written(ctx);
  t.equal(status['phase'], 'Failed');
  t.equal(status['observedGeneration'], GEN);
  t.equal(cond(status, 'Stalled')?.status, 'True');
  t.equal(cond(status, 'Stalled')?.reason, 'InvalidSpec');
  t.equal(cond(status, 'Ready')?.status, 'False');
  t.equal(cond(status, 'Ready')?.reason, 'InvalidSpec');
  t.same(
    events.map((e) => `${e.type}/${e.reason}`),
    ['Warning/Stalled'],
  );
  t.same(
    kube.calls.map((c) => c.verb),
    ['applyStatus'],
    'only the initial status: no step ran',
  );
  t.same(ledgerReady, [], 'no ledger mode: no metric');
  t.equal(deps.reconcilingSince.has(KEY), false);
});

t.test('an invalid spec with a deadline hint still forgets it', async (t) => {
  const { ctx, deps } = world();
  deps.reconcilingSince.set(KEY, { generation: GEN, sinceMs: UTC_NOON });
  const object = { ...ctx.object, spec: { company: 'New Company' } };
  await t.rejects(reconcileAnyLogMaster(deps, { ...ctx, object }), PermanentError);
  t.equal(deps.reconcilingSince.has(KEY), false);
});

t.test('a waiting pass requeues after 5 s and remembers since when it reconciles', async (t) => {
  const { ctx, deps, clock, ledgerReady } = world({ clusterIP: false });
  const outcome = await reconcileAnyLogMaster(deps, ctx);
  t.strictSame(outcome, { requeueAfterMs: 5_000 });
  const status = written(ctx);
  t.equal(status['phase'], 'Provisioning');
  t.equal(cond(status, 'Reconciling')?.status, 'True');
  t.equal(cond(status, 'Reconciling')?.reason, 'Progressing');
  t.equal(status['observedGeneration'], undefined, 'the generation is not brought to an end yet');
  t.same(deps.reconcilingSince.get(KEY), { generation: GEN, sinceMs: clock.now() });
  t.same(ledgerReady, [{ labels: { namespace: 'anylog', name: 'minimal', mode: 'Embedded' }, value: 1 }]);
});

t.test('the progress hint of this generation starts the deadline', async (t) => {
  const { ctx, deps } = world({ clusterIP: false, status: reconcilingStatus(NOW_ISO) });
  deps.reconcilingSince.set(KEY, { generation: GEN, sinceMs: UTC_NOON - 601_000 });
  const outcome = await reconcileAnyLogMaster(deps, ctx);
  t.strictSame(outcome, { requeueAfterMs: 60_000 }, 'a deadline stall is re-checked, not permanent');
  const status = written(ctx);
  t.equal(cond(status, 'Stalled')?.reason, 'ProgressDeadlineExceeded');
  t.equal(status['phase'], 'Failed');
  t.same(
    deps.reconcilingSince.get(KEY),
    { generation: GEN, sinceMs: UTC_NOON - 601_000 },
    'the hint is kept while the deadline stall lasts',
  );
});

t.test('the progress hint of another generation is ignored and replaced', async (t) => {
  const since = UTC_NOON - 30_000;
  const { ctx, deps } = world({ clusterIP: false, status: reconcilingStatus(new Date(since).toISOString()) });
  deps.reconcilingSince.set(KEY, { generation: GEN - 1, sinceMs: UTC_NOON - 601_000 });
  const outcome = await reconcileAnyLogMaster(deps, ctx);
  t.strictSame(outcome, { requeueAfterMs: 5_000 });
  t.equal(cond(written(ctx), 'Stalled'), undefined);
  t.same(deps.reconcilingSince.get(KEY), { generation: GEN, sinceMs: since }, 'from the stored condition');
});

t.test('a stall the user must fix by a spec change ends with a PermanentError', async (t) => {
  const { ctx, deps, kube, events } = world();
  deps.reconcilingSince.set(KEY, { generation: GEN, sinceMs: UTC_NOON });
  kube.seed(STATEFULSETS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { namespace: 'anylog', name: 'minimal' },
  });
  const err = await reconcileAnyLogMaster(deps, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, PermanentError);
  t.equal((err as PermanentError).reason, 'ResourceConflict');
  t.equal(cond(written(ctx), 'Stalled')?.reason, 'ResourceConflict');
  t.same(
    events.map((e) => `${e.type}/${e.reason}`),
    ['Normal/LedgerReady', 'Warning/Stalled'],
  );
  t.equal(deps.reconcilingSince.has(KEY), false, 'a stall other than the deadline forgets the hint');
});

t.test(
  'a stall the user can fix outside the CR is re-checked after 60 s; its ledger metric is 0',
  async (t) => {
    const external = crFromFixture('external-minimal.yaml');
    const subject: AnyLogMaster = { ...external, metadata: { ...external.metadata, generation: GEN } };
    const { ctx, deps, ledgerReady } = world({ subject });
    const outcome = await reconcileAnyLogMaster(deps, ctx);
    t.strictSame(outcome, { requeueAfterMs: 60_000 });
    const status = written(ctx);
    t.equal(cond(status, 'Stalled')?.reason, 'SecretNotFound');
    t.equal(cond(status, 'LedgerReady')?.status, 'False');
    t.same(ledgerReady, [
      { labels: { namespace: 'anylog', name: external.metadata.name, mode: 'External' }, value: 0 },
    ]);
  },
);

t.test('an unexpected error is thrown after the status and Events of the pass', async (t) => {
  const { ctx, deps, kube, events, ledgerReady } = world();
  kube.failNext('apply', serverError('etcd is sad'), STATEFULSETS);
  const err = await reconcileAnyLogMaster(deps, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, KubeApiError);
  t.equal((err as KubeApiError).status, 500);
  const status = written(ctx);
  t.equal(status['phase'], 'Provisioning');
  t.same(status['images'], { node: 'example.com/anylog-node:1.0.0' });
  t.same(
    events.map((e) => e.reason),
    ['LedgerReady'],
  );
  t.equal(ledgerReady.length, 1);
});

t.test('a thrown non-error becomes an internal error', async (t) => {
  const { ctx, deps, kube } = world();
  kube.failNext('apply', 'not an Error', STATEFULSETS);
  const err = await reconcileAnyLogMaster(deps, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, AppError);
  t.equal((err as AppError).code, 'ERR_INTERNAL');
  t.match((err as Error).message, /not an Error/);
});

t.test('an object without a generation is reconciled as generation 0', async (t) => {
  const { ctx, deps, kube } = world({ subject: base });
  await reconcileAnyLogMaster(deps, ctx);
  const body = kube.callsOf('applyStatus')[0]?.body as { status: { conditions: Condition[] } };
  t.same(
    body.status.conditions.map((c) => c.observedGeneration),
    [0, 0],
  );
  t.equal(written(ctx)['observedGeneration'], 0);
});

t.test('the deadline of the spec is used, not the default', async (t) => {
  const subject: AnyLogMaster = { ...cr, spec: { ...cr.spec, progressDeadlineSeconds: 60 } };
  const { ctx, deps } = world({ subject, clusterIP: false, status: reconcilingStatus(NOW_ISO) });
  deps.reconcilingSince.set(KEY, { generation: GEN, sinceMs: UTC_NOON - 61_000 });
  await reconcileAnyLogMaster(deps, ctx);
  t.equal(cond(written(ctx), 'Stalled')?.reason, 'ProgressDeadlineExceeded');
});
