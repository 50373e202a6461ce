// The finalizer's cleanup against an External ledger that answers (a PostgreSQL wire stand-in on loopback):
// policy rows are deleted in the ledger only when the node could not drop them, and only what
// status.ledger.createdByOperator names is dropped; what cannot be dropped is logged as left behind.
import t, { type Test } from 'tap';
import { FINALIZER_CLEANUP } from '../../../../src/api/labels.js';
import type { AnyLogMaster, AnyLogMasterStatus } from '../../../../src/api/types.js';
import type { NodeClientFactory } from '../../../../src/operator/anylogmaster/deps.js';
import { cleanupAnyLogMaster } from '../../../../src/operator/anylogmaster/delete.js';
import { parseStatus } from '../../../../src/operator/anylogmaster/observed-status.js';
import { SECRETS } from '../../../../src/operator/anylogmaster/resources.js';
import { DELETE_POLICY_ROWS } from '../../../../src/ledger/sql.js';
import { UTC_NOON } from '../../../helpers/fake-clock.js';
import { crFromFixture } from '../../render/helpers.js';
import { startFakePostgres, type FakePostgres } from './fixtures/fake-postgres.js';
import { passFor } from './fixtures/pass-env.js';
import { fakeNode, seedRolledOut } from './fixtures/pass-world.js';

const RECORDED_ID = 'fedcba9876543210fedcba9876543210';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** The external fixture pointed at `pg`, being deleted, with `status` stored. */
function deletingAt(pg: FakePostgres, status: AnyLogMasterStatus, admin: boolean): AnyLogMaster {
  const base = crFromFixture('external-minimal.yaml');
  return {
    ...base,
    metadata: {
      ...base.metadata,
      generation: 2,
      finalizers: [FINALIZER_CLEANUP],
      deletionTimestamp: new Date(UTC_NOON - 1_000).toISOString(),
    },
    spec: {
      ...base.spec,
      deletionPolicy: 'Delete',
      ledger: {
        external: {
          host: pg.host,
          port: pg.port,
          sslMode: 'disable',
          credentialsSecretRef: { name: 'anylog-ledger' },
          ...(admin ? { adminCredentialsSecretRef: { name: 'pg-admin' } } : {}),
        },
      },
    },
    status,
  };
}

async function cleanup(t: Test, status: AnyLogMasterStatus, admin = false, node?: NodeClientFactory) {
  const pg = await startFakePostgres('127.0.0.1');
  t.teardown(() => pg.close());
  const cr = deletingAt(pg, status, admin);
  const p = passFor(cr, {
    status: parseStatus(status).status,
    ...(node === undefined ? {} : { nodeClient: node }),
  });
  if (node !== undefined) seedRolledOut(p.kube, cr);
  const secret = (name: string, user: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: cr.metadata.namespace },
    data: { username: b64(user), password: b64(`${user}-pw`) },
  });
  p.kube.seed(SECRETS, secret('anylog-ledger', 'anylog'));
  if (admin) p.kube.seed(SECRETS, secret('pg-admin', 'postgres'));
  const result = await cleanupAnyLogMaster(p.deps, p.ctx);
  const statements = pg.queries.filter((q) => /^(DELETE|DROP)/.test(q));
  return { result, statements, p };
}

t.test('without a node, the recorded policy rows are deleted and the created database dropped', async (t) => {
  const { result, statements, p } = await cleanup(t, {
    observedGeneration: 2,
    policyId: RECORDED_ID,
    ledger: { mode: 'External', createdByOperator: { database: true, role: false } },
  });
  t.equal(result, undefined, 'resolved: the finalizer can go');
  t.same(statements, [DELETE_POLICY_ROWS, 'DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)']);
  t.same(p.events, []);
});

t.test('policies the node dropped are not deleted in the ledger again', async (t) => {
  const node = fakeNode({ insertId: RECORDED_ID });
  const { result, statements } = await cleanup(
    t,
    {
      observedGeneration: 2,
      policyId: RECORDED_ID,
      ledger: { mode: 'External', createdByOperator: { database: true, role: false } },
    },
    false,
    node.factory,
  );
  t.equal(result, undefined);
  t.same(node.client.called, ['queryMasterPolicies']);
  t.same(statements, ['DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)']);
});

t.test('nothing the operator did not create is dropped', async (t) => {
  const none = await cleanup(t, { observedGeneration: 2, policyId: RECORDED_ID });
  t.equal(none.result, undefined);
  t.same(none.statements, [DELETE_POLICY_ROWS], 'no createdByOperator record: the database is kept');
  const partial = await cleanup(t, {
    observedGeneration: 2,
    ledger: { mode: 'External', createdByOperator: {} },
  });
  t.same(partial.statements, [], 'no policy id known and nothing created: no statement');
});

t.test('a created role without admin credentials is left behind and logged', async (t) => {
  const { result, statements, p } = await cleanup(t, {
    observedGeneration: 2,
    ledger: { mode: 'External', createdByOperator: { database: false, role: true } },
  });
  t.equal(result, undefined);
  t.same(statements, []);
  const left = p.log.records.filter((r) => r['msg'] === 'left behind by cleanup');
  t.same(
    left.map((r) => [r['level'], r['skipped']]),
    [[40, 'role anylog: no admin credentials']],
  );
});

t.test('with admin credentials a created role is dropped as the admin', async (t) => {
  const { statements } = await cleanup(
    t,
    {
      observedGeneration: 2,
      ledger: { mode: 'External', createdByOperator: { database: true, role: true } },
    },
    true,
  );
  t.same(statements, ['DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)', 'DROP ROLE IF EXISTS "anylog"']);
});
