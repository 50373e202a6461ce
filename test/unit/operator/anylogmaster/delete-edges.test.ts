// Edges of the finalizer's cleanup (delete.ts) that the main cleanup tests leave open: the warnings logged
// when the cleanup is skipped (annotation, invalid spec), the exact CleanupAbandoned note with two policy
// ids, the pass's abort signal on every node request, the fallback to the ledger when the node fails the
// query (with the failure logged), the role kept when no createdByOperator was recorded, and a cleanup
// retry that does not rewrite unchanged managed-ledger children. External ledgers answer through a
// PostgreSQL stand-in on loopback.
import t from 'tap';
import { desiredMasterPolicy } from '../../../../src/api/policy.js';
import type { MasterPolicy, NodeClient } from '../../../../src/nodeclient/index.js';
import { cleanupAnyLogMaster } from '../../../../src/operator/anylogmaster/delete.js';
import type { NodeClientFactory } from '../../../../src/operator/anylogmaster/deps.js';
import { desiredPolicyId } from '../../../../src/operator/anylogmaster/policy.js';
import type { ReconcileContext } from '../../../../src/operator/framework/controller.js';
import { DELETE_POLICY_ROWS } from '../../../../src/ledger/sql.js';
import { UTC_NOON } from '../../../helpers/fake-clock.js';
import { crFromFixture, crFromSample } from '../../render/helpers.js';
import { deleting, externalCleanup } from './fixtures/cleanup.js';
import { passFor } from './fixtures/pass-env.js';
import { fakeNode, seedRolledOut } from './fixtures/pass-world.js';

const RECORDED_ID = '0123456789abcdef0123456789abcdef';
const ADDRESS = '10.96.12.7';
const WARN = 40;
const INFO = 30;

const embedded = crFromFixture('minimal.yaml');

t.test('anylog.co/skip-cleanup logs a warning that the finalizer goes without cleanup', async (t) => {
  const p = passFor(deleting(embedded, { annotations: { 'anylog.co/skip-cleanup': 'true' } }));
  t.equal(await cleanupAnyLogMaster(p.deps, p.ctx), undefined);
  const warnings = p.log.lines.filter((l) => l.level === WARN);
  t.equal(warnings.length, 1);
  t.match(warnings[0]?.msg, /^anylog\.co\/skip-cleanup is set/);
});

t.test('an invalid spec logs a warning naming the problem', async (t) => {
  const p = passFor(deleting(embedded));
  const ctx: ReconcileContext = { ...p.ctx, object: { ...p.object, spec: { company: 'New Company' } } };
  t.equal(await cleanupAnyLogMaster(p.deps, ctx), undefined);
  const warnings = p.log.records.filter((r) => r['level'] === WARN);
  t.equal(warnings.length, 1);
  t.equal(warnings[0]?.['msg'], 'invalid spec: nothing can be cleaned up');
  t.match(warnings[0]?.['problem'], /nodeName/);
});

t.test('past the deadline the note lists the recorded and the derived policy id', async (t) => {
  const derived = desiredPolicyId(desiredMasterPolicy(embedded, ADDRESS));
  const cr = deleting(
    embedded,
    { deletionTimestamp: new Date(UTC_NOON - 3_600_000).toISOString() },
    { policyId: RECORDED_ID, advertisedAddress: ADDRESS },
  );
  const p = passFor(cr);
  t.equal(await cleanupAnyLogMaster(p.deps, p.ctx), undefined);
  t.same(p.events, [
    {
      type: 'Warning',
      reason: 'CleanupAbandoned',
      note:
        `cleanup deadline passed; left behind: master policy ${RECORDED_ID}, ${derived} ` +
        'and any database or role the operator created',
    },
  ]);
});

/** A node holding `policies` that records the abort signal of every request. */
function signalNode(policies: readonly MasterPolicy[]) {
  const signals: { op: string; signal: AbortSignal | undefined }[] = [];
  const unused = (): Promise<never> => Promise.reject(new Error('not used by cleanup'));
  const client: NodeClient = {
    url: 'http://10.1.2.3:32049/',
    getStatus: unused,
    getProcesses: unused,
    insertPolicy: unused,
    readLedger: unused,
    pushPolicy: unused,
    queryMasterPolicies: (_query, options) => {
      signals.push({ op: 'query', signal: options?.signal });
      return Promise.resolve([...policies]);
    },
    dropPolicy: (id, options) => {
      signals.push({ op: `drop ${id}`, signal: options?.signal });
      return Promise.resolve('dropped');
    },
  };
  const factory: NodeClientFactory = () => client;
  return { signals, factory };
}

t.test('every node request of the cleanup carries the pass abort signal', async (t) => {
  const cr = deleting(embedded);
  const node = signalNode([{ id: 'own-1', name: 'anylog-master', company: 'New Company', attributes: {} }]);
  const p = passFor(cr, { nodeClient: node.factory });
  seedRolledOut(p.kube, cr);
  t.equal(await cleanupAnyLogMaster(p.deps, p.ctx), undefined);
  t.same(
    node.signals.map((s) => s.op),
    ['query', 'drop own-1'],
  );
  for (const s of node.signals) t.equal(s.signal, p.ctx.signal, s.op);
});

t.test('a node that fails the policy query: the rows are deleted in the ledger instead', async (t) => {
  const node = fakeNode({
    insertId: RECORDED_ID,
    fail: { method: 'queryMasterPolicies', error: new Error('socket hang up') },
  });
  const { result, statements, p } = await externalCleanup(
    t,
    { observedGeneration: 2, policyId: RECORDED_ID, ledger: { mode: 'External' } },
    { node: node.factory },
  );
  t.equal(result, undefined);
  t.same(node.client.called, ['queryMasterPolicies']);
  t.same(statements, [DELETE_POLICY_ROWS]);
  const fallback = p.log.records.filter(
    (r) => r['msg'] === 'node not usable for policy cleanup; falling back to the ledger',
  );
  t.equal(fallback.length, 1);
  t.equal(fallback[0]?.['level'], INFO);
  t.match(fallback[0]?.['err'], { message: 'socket hang up' });
});

t.test('without a createdByOperator record nothing is dropped, even with admin credentials', async (t) => {
  const { result, statements, p } = await externalCleanup(
    t,
    { observedGeneration: 2, policyId: RECORDED_ID },
    { admin: true },
  );
  t.equal(result, undefined);
  t.same(statements, [DELETE_POLICY_ROWS], 'neither DROP DATABASE nor DROP ROLE');
  t.same(
    p.log.records.filter((r) => r['msg'] === 'left behind by cleanup'),
    [],
  );
  const partial = await externalCleanup(
    t,
    { observedGeneration: 2, ledger: { mode: 'External', createdByOperator: { database: true } } },
    { admin: true },
  );
  t.same(partial.statements, ['DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)'], 'no role recorded');
});

t.test('a cleanup retry does not rewrite unchanged managed-ledger children', async (t) => {
  const cr = deleting(crFromSample('managed'));
  const first = passFor(cr);
  t.ok((await cleanupAnyLogMaster(first.deps, first.ctx))?.requeueAfterMs, 'the ledger pod is not ready');
  t.ok(first.kube.callsOf('apply').length > 0, 'the first attempt applied the ledger children');
  const before = first.kube.calls.length;
  const retry = passFor(cr, { kube: first.kube, attempt: 1 });
  t.ok((await cleanupAnyLogMaster(retry.deps, retry.ctx))?.requeueAfterMs);
  const writes = first.kube.calls.slice(before).filter((c) => c.verb === 'apply');
  t.same(
    writes.map((c) => `${c.plural}/${c.ref.name}`),
    [],
  );
  t.same(
    retry.events.map((e) => e.reason),
    ['CleanupFailed'],
  );
});
