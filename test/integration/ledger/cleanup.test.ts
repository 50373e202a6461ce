// Ledger cleanup for deletionPolicy Delete: delete policy rows by policy_id directly,
// then drop the database and role only when createdByOperator says so.
import t from 'tap';
import pg from 'pg';
import { LEDGER_INSERT_SQL_PG } from '../../../src/contract/ledger-ddl.js';
import { cleanupLedger, deletePolicyRows, provisionLedger } from '../../../src/ledger/index.js';
import { silentLogger } from '../../../src/common/logger.js';
import {
  admin,
  adminQuery,
  cleanupAfter,
  endpointFor,
  randomName,
  randomPassword,
  tryLogin,
} from './fixtures/pg-ledger.js';

const a = admin();
const logger = silentLogger();
const ID = '9fe16415251db91760fbc5787a6eed7c';

async function insertPolicyRow(database: string, id: string): Promise<void> {
  await adminQuery(
    a,
    LEDGER_INSERT_SQL_PG,
    [
      'master',
      id,
      'New Company',
      '2026-11-26T12:33:53.766922Z',
      '127.0.0.1',
      null,
      `{"master": {"id": "${id}"}}`,
    ],
    database,
  );
}

t.test('delete the policy row by id; created database and role are dropped', async (t) => {
  const database = randomName('lcl');
  const role = randomName('lclr');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  const endpoint = endpointFor(a, database);
  const r = await provisionLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger,
  });
  await insertPolicyRow(database, ID);
  await insertPolicyRow(database, '0'.repeat(32));
  t.equal(await deletePolicyRows({ endpoint, credentials: node, policyIds: [ID] }), 1);
  t.equal(await deletePolicyRows({ endpoint, credentials: node, policyIds: [ID] }), 0);
  t.equal(await deletePolicyRows({ endpoint, credentials: node, policyIds: [] }), 0);
  t.equal((await adminQuery(a, 'SELECT 1 FROM ledger', [], database)).length, 1, 'other rows stay');

  const out = await cleanupLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: a.credentials,
    createdByOperator: r.createdByOperator,
    logger,
  });
  t.same(out, { droppedDatabase: true, droppedRole: true, skipped: [] });
  t.equal((await adminQuery(a, 'SELECT 1 FROM pg_database WHERE datname = $1', [database])).length, 0);
  t.equal((await adminQuery(a, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).length, 0);
  // the database is gone: deleting rows is a no-op, not an error
  t.equal(await deletePolicyRows({ endpoint, credentials: a.credentials, policyIds: [ID] }), 0);
  // idempotent
  t.same(
    await cleanupLedger({
      endpoint,
      nodeCredentials: node,
      adminCredentials: a.credentials,
      createdByOperator: r.createdByOperator,
      logger,
    }),
    { droppedDatabase: true, droppedRole: true, skipped: [] },
  );
});

t.test('objects not created by the operator are left alone', async (t) => {
  const database = randomName('lkeep');
  const role = randomName('lkeepr');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  await adminQuery(
    a,
    `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(node.password)}`,
  );
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(database)} OWNER ${pg.escapeIdentifier(role)}`);
  const endpoint = endpointFor(a, database);
  const r = await provisionLedger({ endpoint, nodeCredentials: node, logger });
  t.same(r.createdByOperator, { database: false, role: false });
  const out = await cleanupLedger({
    endpoint,
    nodeCredentials: node,
    createdByOperator: r.createdByOperator,
    logger,
  });
  t.same(out, { droppedDatabase: false, droppedRole: false, skipped: [] });
  t.equal(await tryLogin(a, database, node), 'ok');
});

t.test(
  'without admin credentials the owner drops the database; the role is reported as left behind',
  async (t) => {
    const database = randomName('lown');
    const role = randomName('lownr');
    cleanupAfter(t, a, database, role);
    const node = { username: role, password: randomPassword() };
    await adminQuery(
      a,
      `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN CREATEDB PASSWORD ${pg.escapeLiteral(node.password)}`,
    );
    const endpoint = endpointFor(a, database);
    const r = await provisionLedger({ endpoint, nodeCredentials: node, logger });
    t.same(r.createdByOperator, { database: true, role: false });
    const out = await cleanupLedger({
      endpoint,
      nodeCredentials: node,
      createdByOperator: { database: true, role: true },
      logger,
    });
    t.equal(out.droppedDatabase, true);
    t.equal(out.droppedRole, false);
    t.match(out.skipped[0], /no admin credentials/);
    t.equal((await adminQuery(a, 'SELECT 1 FROM pg_database WHERE datname = $1', [database])).length, 0);
  },
);
