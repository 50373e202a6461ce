// The finalizer's cleanup against an External ledger that answers (a PostgreSQL wire stand-in on loopback):
// policy rows are deleted in the ledger only when the node could not drop them, and only what
// status.ledger.createdByOperator names is dropped; what cannot be dropped is logged as left behind.
import t from 'tap';
import { DELETE_POLICY_ROWS } from '../../../../src/ledger/sql.js';
import { externalCleanup } from './fixtures/cleanup.js';
import { fakeNode } from './fixtures/pass-world.js';

const RECORDED_ID = 'fedcba9876543210fedcba9876543210';

t.test('without a node, the recorded policy rows are deleted and the created database dropped', async (t) => {
  const { result, statements, p } = await externalCleanup(t, {
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
  const { result, statements } = await externalCleanup(
    t,
    {
      observedGeneration: 2,
      policyId: RECORDED_ID,
      ledger: { mode: 'External', createdByOperator: { database: true, role: false } },
    },
    { node: node.factory },
  );
  t.equal(result, undefined);
  t.same(node.client.called, ['queryMasterPolicies']);
  t.same(statements, ['DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)']);
});

t.test('nothing the operator did not create is dropped', async (t) => {
  const none = await externalCleanup(t, { observedGeneration: 2, policyId: RECORDED_ID });
  t.equal(none.result, undefined);
  t.same(none.statements, [DELETE_POLICY_ROWS], 'no createdByOperator record: the database is kept');
  const partial = await externalCleanup(t, {
    observedGeneration: 2,
    ledger: { mode: 'External', createdByOperator: {} },
  });
  t.same(partial.statements, [], 'no policy id known and nothing created: no statement');
});

t.test('a created role without admin credentials is left behind and logged', async (t) => {
  const { result, statements, p } = await externalCleanup(t, {
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
  const { statements } = await externalCleanup(
    t,
    {
      observedGeneration: 2,
      ledger: { mode: 'External', createdByOperator: { database: true, role: true } },
    },
    { admin: true },
  );
  t.same(statements, ['DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)', 'DROP ROLE IF EXISTS "anylog"']);
});
