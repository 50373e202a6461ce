// The finalizer's cleanup (delete.ts): the skip annotation, the invalid-spec and deadline exits, the
// Terminating status it writes first, dropping own policies through a ready node, and the CleanupFailed
// path (event, Stalled status, backoff) when the ledger is unusable. No PostgreSQL is started.
import t from 'tap';
import { FIELD_MANAGER_STATUS } from '../../../../src/api/labels.js';
import { nodePodHost, nodePodName } from '../../../../src/api/names.js';
import { desiredMasterPolicy } from '../../../../src/api/policy.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import type { MasterPolicy, NodeClient, NodeClientTls } from '../../../../src/nodeclient/index.js';
import type { ReconcileContext } from '../../../../src/operator/framework/controller.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { cleanupAnyLogMaster } from '../../../../src/operator/anylogmaster/delete.js';
import type { NodeClientFactory, ResolvedDeps } from '../../../../src/operator/anylogmaster/deps.js';
import { desiredPolicyId } from '../../../../src/operator/anylogmaster/policy.js';
import { ANYLOG_MASTERS, PODS, SECRETS } from '../../../../src/operator/anylogmaster/resources.js';
import { FakeClock, UTC_NOON } from '../../../helpers/fake-clock.js';
import { freePort } from '../../../helpers/ports.js';
import { crFromFixture, crFromSample } from '../../render/helpers.js';
import { serverError } from './fixtures/fake-kube.js';
import { deleting } from './fixtures/cleanup.js';
import { passFor, type PassOptions } from './fixtures/pass-env.js';

const NODE_IP = '10.1.2.3';
const RECORDED_ID = '0123456789abcdef0123456789abcdef';
const ADDRESS = '10.96.12.7';

const iso = (ms: number): string => new Date(ms).toISOString();

const embedded = crFromFixture('minimal.yaml');
const external = crFromFixture('external-minimal.yaml');

interface NodeCalls {
  readonly clients: { host: string; port: number; tls: NodeClientTls | undefined }[];
  readonly queries: { nodeName: string; company: string }[];
  readonly dropped: string[];
}

/** A node client factory answering `policies` (or failing the query) and recording every call. */
function fakeNode(
  policies: readonly MasterPolicy[],
  queryError?: Error,
): NodeCalls & { factory: NodeClientFactory } {
  const calls: NodeCalls = { clients: [], queries: [], dropped: [] };
  const unexpected = (): Promise<never> => Promise.reject(new Error('not used by cleanup'));
  const factory: NodeClientFactory = (host, port, _logger, tls) => {
    calls.clients.push({ host, port, tls });
    const client: NodeClient = {
      url: `http://${host}:${String(port)}/`,
      getStatus: unexpected,
      getProcesses: unexpected,
      queryMasterPolicies: (query) => {
        calls.queries.push({ nodeName: query.nodeName, company: query.company });
        return queryError === undefined ? Promise.resolve([...policies]) : Promise.reject(queryError);
      },
      insertPolicy: unexpected,
      dropPolicy: (id) => {
        calls.dropped.push(id);
        return Promise.resolve('dropped');
      },
      readLedger: unexpected,
      pushPolicy: unexpected,
    };
    return client;
  };
  return { ...calls, factory };
}

function nodePod(cr: AnyLogMaster, ready: boolean, podIP: string | null = NODE_IP): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: nodePodName(cr), namespace: cr.metadata.namespace },
    status: {
      ...(podIP === null ? {} : { podIP }),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

const policy = (id: string, name: string, company: string): MasterPolicy => ({
  id,
  name,
  company,
  attributes: {},
});

/** A pass for `cr` whose domain metrics record `forget` calls and whose random source is `random`. */
function cleanupPass(cr: AnyLogMaster, options: PassOptions & { random?: () => number } = {}) {
  const pass = passFor(cr, options);
  const forgotten: string[] = [];
  const deps: ResolvedDeps = {
    ...pass.deps,
    random: options.random ?? pass.deps.random,
    domainMetrics: {
      ...pass.deps.domainMetrics,
      forget: (namespace, name) => {
        forgotten.push(`${namespace}/${name}`);
      },
    },
  };
  return {
    ...pass,
    deps,
    forgotten,
    run: (ctx: ReconcileContext = pass.ctx) => cleanupAnyLogMaster(deps, ctx),
  };
}

interface Cond {
  type: string;
  status: string;
  reason: string;
  observedGeneration?: number;
}

const conditionsOf = (status: unknown): Cond[] =>
  ((status as { conditions?: Cond[] } | undefined)?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    ...(c.observedGeneration === undefined ? {} : { observedGeneration: c.observedGeneration }),
  }));

const find = (status: unknown, type: string): Cond | undefined =>
  conditionsOf(status).find((c) => c.type === type);

t.test('anylog.co/skip-cleanup=true resolves at once: no write, no node, no event', async (t) => {
  const node = fakeNode([policy('a', 'anylog-master', 'New Company')]);
  const cr = deleting(embedded, { annotations: { 'anylog.co/skip-cleanup': 'true' } });
  const p = cleanupPass(cr, { nodeClient: node.factory });
  p.kube.seed(PODS, nodePod(cr, true));
  t.equal(await p.run(), undefined);
  t.same(p.kube.calls, []);
  t.same(node.clients, []);
  t.same(p.events, []);
  t.equal(p.ctx.status.get(), undefined);
  t.same(p.forgotten, [], 'series are kept: the finalizer is only dropped');
});

t.test('any other value of the skip annotation runs the cleanup', async (t) => {
  const cr = deleting(embedded, { annotations: { 'anylog.co/skip-cleanup': 'false' } });
  const p = cleanupPass(cr);
  t.equal(await p.run(), undefined);
  t.equal(p.kube.callsOf('applyStatus', ANYLOG_MASTERS).length, 1);
  t.same(p.forgotten, ['anylog/minimal']);
});

t.test('an invalid spec resolves without touching anything', async (t) => {
  const node = fakeNode([]);
  const cr = deleting(embedded);
  const p = cleanupPass(cr, { nodeClient: node.factory });
  p.kube.seed(PODS, nodePod(cr, true));
  const ctx: ReconcileContext = { ...p.ctx, object: { ...p.object, spec: { company: 'New Company' } } };
  t.equal(await p.run(ctx), undefined);
  t.same(p.kube.calls, []);
  t.same(node.clients, []);
  t.same(p.events, []);
  t.equal(p.ctx.status.get(), undefined);
  t.same(p.forgotten, []);
});

t.test(
  'an embedded ledger: Terminating is written with the status field manager, then it resolves',
  async (t) => {
    const cr = deleting(embedded, {}, { observedGeneration: 3, phase: 'Running' });
    const p = cleanupPass(cr);
    t.equal(await p.run(), undefined, 'resolving without requeue lets the framework drop the finalizer');
    const writes = p.kube.callsOf('applyStatus');
    t.equal(writes.length, 1);
    const [write] = writes;
    t.equal(write?.plural, 'anylogmasters');
    t.equal(write?.fieldManager, FIELD_MANAGER_STATUS);
    t.same(write?.ref, { namespace: 'anylog', name: 'minimal' });
    const body = write?.body as KubeObject;
    t.equal(body.apiVersion, 'anylog.co/v1alpha1');
    t.equal(body.kind, 'AnyLogMaster');
    t.same(body.metadata, { name: 'minimal', namespace: 'anylog' });
    const status = body['status'] as Record<string, unknown>;
    t.equal(status['phase'], 'Terminating');
    t.equal(status['observedGeneration'], 3, 'not terminal: the previous observedGeneration is kept');
    t.same(find(status, 'Ready'), {
      type: 'Ready',
      status: 'False',
      reason: 'Deleting',
      observedGeneration: 4,
    });
    t.same(find(status, 'Reconciling'), {
      type: 'Reconciling',
      status: 'True',
      reason: 'Deleting',
      observedGeneration: 4,
    });
    t.equal(find(status, 'Stalled'), undefined);
    t.equal(
      (p.kube.stored(ANYLOG_MASTERS, 'anylog', 'minimal')?.['status'] as { phase?: string }).phase,
      'Terminating',
    );
    t.same(p.events, []);
    t.equal(p.ctx.status.get(), undefined, 'nothing left for the framework to write');
    t.same(p.forgotten, ['anylog/minimal']);
  },
);

t.test('a CR already Terminating is not written again', async (t) => {
  const cr = deleting(embedded, {}, { phase: 'Terminating' });
  const p = cleanupPass(cr);
  t.equal(await p.run(), undefined);
  t.same(p.kube.callsOf('applyStatus'), []);
  t.same(p.forgotten, ['anylog/minimal']);
});

t.test('the cleanup deadline', async (t) => {
  t.test('exactly at the deadline the cleanup still runs', async (t) => {
    const p = cleanupPass(deleting(embedded, { deletionTimestamp: iso(UTC_NOON - 60_000) }));
    t.equal(await p.run(), undefined);
    t.equal(p.kube.callsOf('applyStatus').length, 1);
    t.same(p.events, []);
  });
  t.test('past it: Warning CleanupAbandoned and no work', async (t) => {
    const node = fakeNode([policy('a', 'anylog-master', 'New Company')]);
    const cr = deleting(embedded, { deletionTimestamp: iso(UTC_NOON - 60_001) });
    const p = cleanupPass(cr, { nodeClient: node.factory });
    p.kube.seed(PODS, nodePod(cr, true));
    t.equal(await p.run(), undefined);
    t.same(
      p.events.map((e) => [e.type, e.reason]),
      [['Warning', 'CleanupAbandoned']],
    );
    t.match(p.events[0]?.note, /\(none recorded\)/, 'no policy id was known');
    t.same(p.kube.calls, []);
    t.same(node.clients, []);
    t.same(p.forgotten, []);
  });
  t.test('the deadline comes from the settings', async (t) => {
    const cr = deleting(embedded, { deletionTimestamp: iso(UTC_NOON - 5_001) });
    const p = cleanupPass(cr, { settings: { cleanupDeadlineMs: 5_000 } });
    t.equal(await p.run(), undefined);
    t.same(
      p.events.map((e) => e.reason),
      ['CleanupAbandoned'],
    );
    const within = cleanupPass(deleting(embedded, { deletionTimestamp: iso(UTC_NOON - 5_001) }));
    await within.run();
    t.same(within.events, [], 'the default 60 s deadline is not reached');
  });
  t.test('the note names the recorded and the derived policy id, each once', async (t) => {
    const derived = desiredPolicyId(desiredMasterPolicy(embedded, ADDRESS));
    const late = { deletionTimestamp: iso(UTC_NOON - 3_600_000) };
    const both = cleanupPass(deleting(embedded, late, { policyId: RECORDED_ID, advertisedAddress: ADDRESS }));
    await both.run();
    const note = both.events[0]?.note ?? '';
    t.match(note, RECORDED_ID);
    t.match(note, derived);
    t.notMatch(note, /none recorded/);
    const same = cleanupPass(deleting(embedded, late, { policyId: derived, advertisedAddress: ADDRESS }));
    await same.run();
    t.equal((same.events[0]?.note ?? '').split(derived).length - 1, 1, 'one id, not repeated');
    const addressOnly = cleanupPass(deleting(embedded, late, { advertisedAddress: ADDRESS }));
    await addressOnly.run();
    t.match(addressOnly.events[0]?.note, derived);
  });
  t.test('a missing or unreadable deletionTimestamp never counts as past', async (t) => {
    for (const deletionTimestamp of [undefined, 'not a time']) {
      const { deletionTimestamp: _dropped, ...rest } = deleting(embedded).metadata;
      const metadata = deletionTimestamp === undefined ? rest : { ...rest, deletionTimestamp };
      const p = cleanupPass(
        { ...deleting(embedded), metadata },
        { clock: new FakeClock(UTC_NOON + 10 * 365 * 86_400_000) },
      );
      t.equal(await p.run(), undefined);
      t.same(p.events, [], String(deletionTimestamp));
      t.equal(p.kube.callsOf('applyStatus').length, 1);
    }
  });
});

t.test('own policies are dropped through a ready node', async (t) => {
  const cr = deleting(embedded);
  const node = fakeNode([
    policy('own-1', 'anylog-master', 'New Company'),
    policy('foreign-company', 'anylog-master', 'Other Company'),
    policy('foreign-name', 'anylog-master-2', 'New Company'),
    policy('own-2', 'anylog-master', 'New Company'),
  ]);
  const p = cleanupPass(cr, { nodeClient: node.factory });
  p.kube.seed(PODS, nodePod(cr, true));
  t.equal(await p.run(), undefined);
  t.same(node.clients, [{ host: NODE_IP, port: 32049, tls: undefined }]);
  t.same(node.queries, [{ nodeName: 'anylog-master', company: 'New Company' }]);
  t.same(node.dropped, ['own-1', 'own-2'], 'only exact name and company matches');
  t.same(p.events, []);
  t.same(p.forgotten, ['anylog/minimal']);
});

t.test('the node REST port of the spec is used', async (t) => {
  const cr = deleting({ ...embedded, spec: { ...embedded.spec, network: { restPort: 32100 } } });
  const node = fakeNode([]);
  const p = cleanupPass(cr, { nodeClient: node.factory });
  p.kube.seed(PODS, nodePod(cr, true));
  await p.run();
  t.same(
    node.clients.map((c) => c.port),
    [32100],
  );
});

t.test('no node client without a ready node pod with an IP', async (t) => {
  const cases: [string, (cr: AnyLogMaster) => KubeObject | undefined][] = [
    ['no pod', () => undefined],
    ['not ready', (cr) => nodePod(cr, false)],
    ['ready without IP', (cr) => nodePod(cr, true, null)],
    ['another pod', (cr) => ({ ...nodePod(cr, true), metadata: { name: 'minimal-1', namespace: 'anylog' } })],
    [
      'another namespace',
      (cr) => ({ ...nodePod(cr, true), metadata: { name: 'minimal-0', namespace: 'x' } }),
    ],
  ];
  for (const [name, pod] of cases) {
    const cr = deleting(embedded);
    const node = fakeNode([policy('own', 'anylog-master', 'New Company')]);
    const p = cleanupPass(cr, { nodeClient: node.factory });
    const seeded = pod(cr);
    if (seeded !== undefined) p.kube.seed(PODS, seeded);
    t.equal(await p.run(), undefined, name);
    t.same(node.clients, [], name);
    t.same(p.forgotten, ['anylog/minimal'], name);
  }
});

t.test('a node that fails the query is given up on; an embedded ledger still resolves', async (t) => {
  const cr = deleting(embedded);
  const node = fakeNode([], new Error('connect ECONNREFUSED'));
  const p = cleanupPass(cr, { nodeClient: node.factory });
  p.kube.seed(PODS, nodePod(cr, true));
  t.equal(await p.run(), undefined);
  t.equal(node.queries.length, 1);
  t.same(node.dropped, []);
  t.same(p.events, []);
  t.same(p.forgotten, ['anylog/minimal']);
});

t.test(
  'REST TLS: the client certificate from the user Secrets, or no node call when they are missing',
  async (t) => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const pems = (prefix: string): Record<string, string> => ({
      'tls.crt': b64(`${prefix}-cert`),
      'tls.key': b64(`${prefix}-key`),
      'ca.crt': b64(`${prefix}-ca`),
    });
    const cr = deleting({
      ...embedded,
      spec: {
        ...embedded.spec,
        rest: { tls: { enabled: true, secretName: 'srv', clientSecretName: 'cli' } },
      },
    });
    const secret = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'anylog' },
      data: pems(name),
    });

    const node = fakeNode([policy('own', 'anylog-master', 'New Company')]);
    const p = cleanupPass(cr, { nodeClient: node.factory });
    p.kube.seed(PODS, nodePod(cr, true));
    p.kube.seed(SECRETS, secret('srv'));
    p.kube.seed(SECRETS, secret('cli'));
    t.equal(await p.run(), undefined);
    t.same(node.clients, [
      {
        host: NODE_IP,
        port: 32049,
        tls: { ca: 'srv-ca', cert: 'cli-cert', key: 'cli-key', servername: nodePodHost(cr) },
      },
    ]);
    t.same(node.dropped, ['own']);

    const missing = fakeNode([policy('own', 'anylog-master', 'New Company')]);
    const q = cleanupPass(cr, { nodeClient: missing.factory });
    q.kube.seed(PODS, nodePod(cr, true));
    t.equal(await q.run(), undefined, 'the node is skipped, an embedded ledger needs nothing else');
    t.same(missing.clients, []);
    t.same(q.events, []);
  },
);

t.test(
  'an unusable ledger: Warning CleanupFailed, Stalled/CleanupFailed status, retry with backoff',
  async (t) => {
    const cr = deleting(external, {}, { observedGeneration: 3 });
    const p = cleanupPass(cr, { random: () => 0 });
    const outcome = await p.run();
    t.same(outcome, { requeueAfterMs: 900 }, 'attempt 0: 1 s less 10 % jitter');
    t.equal(p.kube.callsOf('applyStatus').length, 1, 'Terminating was written before the failure');
    t.same(
      p.events.map((e) => [e.type, e.reason]),
      [['Warning', 'CleanupFailed']],
    );
    t.match(p.events[0]?.note, /anylog-ledger/, 'the note names what failed');
    const status = p.ctx.status.get();
    t.equal(status?.['phase'], 'Terminating');
    t.equal(status?.['observedGeneration'], 4, 'a stall is terminal for the generation');
    t.same(find(status, 'Stalled'), {
      type: 'Stalled',
      status: 'True',
      reason: 'CleanupFailed',
      observedGeneration: 4,
    });
    t.same(find(status, 'Ready'), {
      type: 'Ready',
      status: 'False',
      reason: 'CleanupFailed',
      observedGeneration: 4,
    });
    t.equal(find(status, 'Reconciling'), undefined);
    t.same(p.forgotten, [], 'series are kept until the cleanup succeeds');
  },
);

t.test('the retry delay grows with the attempt and is capped at 5 minutes', async (t) => {
  const cr = deleting(external);
  for (const [attempt, random, expected] of [
    [3, 0, 7_200],
    [3, 0.5, 8_000],
    [3, 1, 8_800],
    [8, 0.5, 256_000],
    [9, 0.5, 300_000],
    [20, 0, 270_000],
  ] as const) {
    const p = cleanupPass(cr, { attempt, random: () => random });
    t.same(
      await p.run(),
      { requeueAfterMs: expected },
      `attempt ${String(attempt)}, random ${String(random)}`,
    );
  }
});

t.test('the node is still used before an unusable ledger fails the cleanup', async (t) => {
  const cr = deleting(external);
  const node = fakeNode([policy('own', 'anylog-master', 'New Company')]);
  const p = cleanupPass(cr, { nodeClient: node.factory });
  p.kube.seed(PODS, nodePod(cr, true));
  t.ok((await p.run())?.requeueAfterMs);
  t.same(node.dropped, ['own']);
  t.same(
    p.events.map((e) => e.reason),
    ['CleanupFailed'],
  );
});

t.test('a managed ledger whose PostgreSQL pod is not ready fails the cleanup', async (t) => {
  const cr = deleting(crFromSample('managed'));
  const p = cleanupPass(cr, { random: () => 0.5 });
  t.same(await p.run(), { requeueAfterMs: 1_000 });
  t.same(
    p.events.map((e) => e.reason),
    ['CleanupFailed'],
  );
  t.equal(find(p.ctx.status.get(), 'Stalled')?.reason, 'CleanupFailed');
});

t.test('a failed status write fails the cleanup before the node is asked', async (t) => {
  const cr = deleting(embedded);
  const node = fakeNode([policy('own', 'anylog-master', 'New Company')]);
  const p = cleanupPass(cr, { nodeClient: node.factory, random: () => 0.5 });
  p.kube.seed(PODS, nodePod(cr, true));
  p.kube.failNext('applyStatus', serverError('etcd timeout'), ANYLOG_MASTERS);
  t.same(await p.run(), { requeueAfterMs: 1_000 });
  t.same(node.clients, []);
  t.same(
    p.events.map((e) => [e.type, e.reason]),
    [['Warning', 'CleanupFailed']],
  );
  t.match(p.events[0]?.note, /etcd timeout/);
  t.equal(find(p.ctx.status.get(), 'Stalled')?.reason, 'CleanupFailed');
  t.same(p.forgotten, []);
});

t.test('an aborted pass rethrows instead of reporting CleanupFailed', async (t) => {
  const p = cleanupPass(deleting(external));
  const ctx: ReconcileContext = { ...p.ctx, signal: AbortSignal.abort() };
  await t.rejects(p.run(ctx), /anylog-ledger/);
  t.same(p.events, []);
  t.equal(p.ctx.status.get(), undefined);

  const ok = cleanupPass(deleting(embedded));
  t.equal(await ok.run({ ...ok.ctx, signal: AbortSignal.abort() }), undefined, 'success is not affected');
});

t.test('a failure that is not an Error is reported by its text', async (t) => {
  const p = cleanupPass(deleting(embedded));
  p.kube.failNext('applyStatus', 'plain failure text', ANYLOG_MASTERS);
  t.ok((await p.run())?.requeueAfterMs);
  t.match(p.events[0]?.note, /plain failure text/);
});

t.test('an external ledger that refuses connections on 127.0.0.1 fails the cleanup', async (t) => {
  const port = await freePort();
  const cr = deleting(
    {
      ...external,
      spec: {
        ...external.spec,
        ledger: {
          external: {
            host: '127.0.0.1',
            port,
            sslMode: 'disable',
            credentialsSecretRef: { name: 'anylog-ledger' },
          },
        },
      },
    },
    {},
    { observedGeneration: 2 },
  );
  const node = fakeNode([policy('own', 'anylog-master', 'New Company')]);
  const p = cleanupPass(cr, { nodeClient: node.factory, random: () => 0.5, attempt: 1 });
  p.kube.seed(PODS, nodePod(cr, true));
  p.kube.seed(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'anylog-ledger', namespace: 'anylog' },
    data: {
      username: Buffer.from('anylog').toString('base64'),
      password: Buffer.from('pw').toString('base64'),
    },
  });
  t.same(await p.run(), { requeueAfterMs: 2_000 });
  t.same(node.dropped, ['own']);
  t.same(
    p.events.map((e) => [e.type, e.reason]),
    [['Warning', 'CleanupFailed']],
  );
  t.equal(find(p.ctx.status.get(), 'Stalled')?.reason, 'CleanupFailed');
  t.same(p.forgotten, []);
});
