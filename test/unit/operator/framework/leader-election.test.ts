// Leader election on a fake clock and an in-memory Lease store: acquiring a free lease, renewing it, no
// takeover while another holder's lease is fresh (by local observation), takeover once it expired,
// leaseTransitions and acquireTime on each change of holder, stepping down on seeing another holder,
// releasing on shutdown, reporting a refused lease (RBAC). Lease 15 s, renew deadline 10 s, retry every 2 s.
import t, { type Test } from 'tap';
import { LeaderElector, type ElectionEnd } from '../../../../src/operator/framework/leader-election.js';
import { microTime } from '../../../../src/operator/framework/events.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { createLogger, silentLogger } from '../../../../src/common/logger.js';
import { KubeApiError } from '../../../../src/operator/framework/kube.js';
import { FakeClock, drain, UTC_NOON } from '../../../helpers/fake-clock.js';
import { FakeLeaseApi } from './fixtures/fake-lease-api.js';

interface Candidate {
  readonly elector: LeaderElector;
  readonly started: { count: number };
  end: ElectionEnd | undefined;
  readonly stop: () => void;
}

function candidate(
  t: Test,
  clock: FakeClock,
  store: FakeLeaseApi,
  identity: string,
  extra: { metrics?: Metrics; leaseDurationMs?: number; signal?: AbortController } = {},
): Candidate {
  const elector = new LeaderElector({
    kube: store.api,
    clock,
    logger: silentLogger(),
    metrics: extra.metrics ?? new Metrics({ prefix: 'anylog', defaultMetrics: false }),
    namespace: 'ops',
    name: 'op-lock',
    identity,
    fieldManager: 'anylog-operator',
    ...(extra.leaseDurationMs === undefined ? {} : { leaseDurationMs: extra.leaseDurationMs }),
  });
  const controller = extra.signal ?? new AbortController();
  const started = { count: 0 };
  const c: Candidate = { elector, started, end: undefined, stop: () => controller.abort() };
  void elector.run(controller.signal, () => (started.count += 1)).then((end) => (c.end = end));
  t.teardown(() => controller.abort());
  return c;
}

t.test('a free lease is created and then renewed, keeping acquireTime and leaseTransitions', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const start = microTime(clock.now());
  const a = candidate(t, clock, store, 'a');
  await drain();
  t.ok(a.elector.isLeader);
  t.equal(a.started.count, 1);
  t.match(store.spec, { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
  t.equal(store.spec?.acquireTime, start);
  t.equal(store.spec?.renewTime, start);
  await clock.advance(2_000);
  t.equal(store.spec?.renewTime, microTime(clock.now()), 'renewed after one retry period');
  t.equal(store.spec?.acquireTime, start, 'acquireTime kept by a renewal');
  t.equal(store.spec?.leaseTransitions, 0, 'a renewal is not a transition');
  await clock.advance(20_000);
  t.ok(a.elector.isLeader, 'still leading while renewals succeed');
  t.equal(a.started.count, 1, 'onStartedLeading once');
  a.stop();
  await drain();
  t.equal(a.end, 'stopped');
});

t.test('no takeover while the holder renews or before its lease expires; takeover after', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  store.write({
    holderIdentity: 'other',
    leaseDurationSeconds: 15,
    acquireTime: '2026-11-26T11:00:00.000000Z',
    renewTime: '2026-11-26T11:59:59.000000Z',
    leaseTransitions: 4,
  });
  const b = candidate(t, clock, store, 'b');
  await clock.advance(14_000);
  t.notOk(b.elector.isLeader, 'lease seen 14 s ago: not expired');
  t.equal(store.spec?.holderIdentity, 'other');
  // the holder renews: the expiry clock starts again from this observation
  store.write({ ...store.spec, renewTime: microTime(clock.now()) });
  await clock.advance(14_000);
  t.notOk(b.elector.isLeader, 'renewed 14 s ago: still not expired');
  t.equal(b.started.count, 0);
  await clock.advance(4_000);
  t.ok(b.elector.isLeader, 'taken over once 15 s passed without a renewal');
  t.equal(b.started.count, 1);
  t.match(store.spec, { holderIdentity: 'b', leaseTransitions: 5 });
  t.equal(store.spec?.acquireTime, store.spec?.renewTime, 'acquireTime is the takeover time');
  t.equal(store.spec?.acquireTime, microTime(clock.now()));
});

t.test('a leader that sees another holder steps down at its next renewal', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  t.ok(a.elector.isLeader);
  // another replica took the lease (a's renewals were, say, partitioned away)
  store.write({ ...store.spec, holderIdentity: 'intruder', renewTime: microTime(clock.now()) });
  await clock.advance(2_000);
  t.notOk(a.elector.isLeader, 'stepped down one retry period later, not at the renew deadline');
  t.equal(a.end, 'lost');
  t.equal(store.spec?.holderIdentity, 'intruder', 'the other holder is left alone');
});

t.test('a leader that cannot renew steps down after the renew deadline', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  store.failReplace = new Error('apiserver unreachable');
  await clock.advance(10_000);
  t.ok(a.elector.isLeader, 'within the renew deadline');
  await clock.advance(2_000);
  t.notOk(a.elector.isLeader, 'past the renew deadline');
  t.equal(a.end, 'lost');
});

t.test('release empties the holder; a standby then takes over with one more transition', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  const b = candidate(t, clock, store, 'b');
  await clock.advance(4_000);
  t.notOk(b.elector.isLeader);
  a.stop();
  await drain();
  await a.elector.release();
  t.match(store.spec, { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
  t.notOk(a.elector.isLeader);
  await clock.advance(2_000);
  t.ok(b.elector.isLeader, 'an empty holder is free at once');
  t.match(store.spec, { holderIdentity: 'b', leaseTransitions: 1 });
  t.equal(store.spec?.acquireTime, microTime(clock.now()));
});

t.test('two candidates on a free lease: exactly one leads', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  const b = candidate(t, clock, store, 'b');
  await clock.advance(30_000);
  t.equal([a, b].filter((c) => c.elector.isLeader).length, 1);
  t.equal(a.started.count + b.started.count, 1);
});

t.test('a replica refused the lease (403) reports it until access is granted, logging it once', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const lines: { level: number; msg: string }[] = [];
  const elector = new LeaderElector({
    kube: store.api,
    clock,
    logger: createLogger({ level: 'info', destination: { write: (l: string) => lines.push(JSON.parse(l)) } }),
    metrics: new Metrics({ prefix: 'anylog', defaultMetrics: false }),
    namespace: 'ops',
    name: 'op-lock',
    identity: 'a',
    fieldManager: 'anylog-operator',
  });
  t.same(elector.health(), { ok: true }, 'healthy before any attempt');
  store.failGet = new KubeApiError({
    status: 403,
    reason: 'Forbidden',
    message: 'leases.coordination.k8s.io "op-lock" is forbidden',
  });
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  void elector.run(controller.signal, () => undefined);
  await drain();
  await clock.advance(10_000);
  t.notOk(elector.isLeader);
  const health = elector.health();
  t.equal(health.ok, false, 'not healthy while refused');
  t.match(
    health.reason,
    /access to Lease ops\/op-lock refused .*forbidden.*get, create and update on leases/,
  );
  t.equal(lines.filter((l) => l.level === 50).length, 1, 'logged once over six refused attempts');

  store.failGet = new KubeApiError({ status: 503, reason: 'ServiceUnavailable', message: 'down' });
  await clock.advance(2_000);
  t.same(elector.health(), { ok: true }, 'an unreachable API server is not a refusal');
  store.failGet = undefined;
  await clock.advance(2_000);
  t.ok(elector.isLeader, 'leads once access is granted');
  t.same(elector.health(), { ok: true });
});

t.test('the elector writes a coordination.k8s.io/v1 Lease in its namespace', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  candidate(t, clock, store, 'a');
  await drain();
  t.match(store.object, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'op-lock', namespace: 'ops' },
  });
  await clock.advance(2_000);
  t.ok(store.calls.length >= 2);
  t.same(new Set(store.calls.map(([, type]) => type)), new Set(['coordination.k8s.io/v1/leases']));
});

t.test('a renewal is one PUT with the lease duration in seconds; a conflict falls back to GET', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  store.calls.length = 0;
  await clock.advance(2_000);
  t.same(
    store.calls.map(([verb]) => verb),
    ['replace'],
    'no GET while the last write is current',
  );
  t.equal(store.spec?.leaseDurationSeconds, 15);
  // someone else touches the lease (same holder): the guarded PUT conflicts, GET and PUT follow
  store.write({ ...store.spec });
  store.calls.length = 0;
  await clock.advance(2_000);
  t.same(
    store.calls.map(([verb]) => verb),
    ['replace', 'get', 'replace'],
  );
  t.ok(a.elector.isLeader);
  t.equal(store.spec?.leaseDurationSeconds, 15);
  // an unreachable API server: the failed PUT is not retried through GET in the same attempt
  store.failReplace = new Error('apiserver unreachable');
  store.calls.length = 0;
  await clock.advance(2_000);
  t.same(
    store.calls.map(([verb]) => verb),
    ['replace'],
  );
});

t.test('an aborted campaign never starts leading', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const signal = new AbortController();
  signal.abort();
  const a = candidate(t, clock, store, 'a', { signal });
  await drain();
  t.equal(a.end, 'stopped');
  t.equal(a.started.count, 0);
  t.notOk(a.elector.isLeader);
});

t.test('the renew deadline counts from the last successful renewal', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  await clock.advance(20_000);
  store.failReplace = new Error('apiserver unreachable');
  await clock.advance(2_000);
  t.ok(a.elector.isLeader, 'one failed renewal after 20 s of good ones is within the deadline');
  store.failReplace = undefined;
  await clock.advance(2_000);
  t.ok(a.elector.isLeader);
  t.equal(store.spec?.renewTime, microTime(clock.now()), 'renewing again');
});

t.test('an emptied lease is nobody’s: losing a race for it is retried until the deadline', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  store.write({ ...store.spec, holderIdentity: '' });
  // the renewal conflicts, GET sees the empty holder, and another write lands before the PUT
  store.afterGet = () => store.write({ ...store.spec, holderIdentity: '' });
  await clock.advance(2_000);
  t.ok(a.elector.isLeader, 'an empty holder is not another holder');
  await clock.advance(2_000);
  t.ok(a.elector.isLeader);
  t.equal(store.spec?.holderIdentity, 'a', 'taken back');
});

t.test('release leaves a lease that another holder took alone', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const a = candidate(t, clock, store, 'a');
  await drain();
  const taken = { ...store.spec, holderIdentity: 'intruder', renewTime: microTime(clock.now()) };
  store.write(taken);
  a.stop();
  await drain();
  await a.elector.release();
  t.same(store.spec, taken);
  t.notOk(a.elector.isLeader);
});

t.test('a restarted instance with the same identity takes its own lease back at once', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const acquired = '2026-11-26T11:00:00.000000Z';
  store.write({
    holderIdentity: 'a',
    leaseDurationSeconds: 15,
    acquireTime: acquired,
    renewTime: acquired,
    leaseTransitions: 3,
  });
  const a = candidate(t, clock, store, 'a');
  await drain();
  t.ok(a.elector.isLeader, 'no wait for expiry of its own lease');
  t.match(store.spec, { holderIdentity: 'a', acquireTime: acquired, leaseTransitions: 3 });
});

t.test('takeover happens exactly when the lease duration has passed since the last change', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  store.write({ holderIdentity: 'other', leaseDurationSeconds: 4, renewTime: microTime(clock.now()) });
  const b = candidate(t, clock, store, 'b', { leaseDurationMs: 4_000 });
  await clock.advance(2_000);
  t.notOk(b.elector.isLeader, 'seen 2 s ago');
  await clock.advance(2_000);
  t.ok(b.elector.isLeader, 'seen 4 s ago: expired');
  t.equal(store.spec?.leaseDurationSeconds, 4);
});

t.test('the leader gauge is 1 for this lease while leading and 0 after', async (t) => {
  const clock = new FakeClock(UTC_NOON);
  const store = new FakeLeaseApi();
  const metrics = new Metrics({ prefix: 'anylog', defaultMetrics: false });
  const a = candidate(t, clock, store, 'a', { metrics });
  await drain();
  t.match(await metrics.text(), /leader_election_master_status\{name="op-lock"\} 1/);
  a.stop();
  await drain();
  await a.elector.release();
  t.match(await metrics.text(), /leader_election_master_status\{name="op-lock"\} 0/);
});
