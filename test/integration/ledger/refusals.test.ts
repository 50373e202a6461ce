// Ledger states the provisioning and cleanup must tell apart from the ones they handle: a role refused
// CONNECT, a node role that cannot open the maintenance database, a missing index, a missing `ledger`
// table at cleanup, a node role that is the admin role itself, and the row count after a policy exists.
import t, { type Test } from 'tap';
import pg from 'pg';
import { LEDGER_INSERT_SQL_PG } from '../../../src/contract/ledger-ddl.js';
import {
  LedgerAuthFailedError,
  LedgerDatabaseMissingError,
  LedgerSqlError,
  LedgerUnreachableError,
  cleanupLedger,
  deletePolicyRows,
  provisionLedger,
  verifyLedger,
} from '../../../src/ledger/index.js';
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

async function createLoginRole(role: string, password: string, extra = ''): Promise<void> {
  await adminQuery(
    a,
    `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN ${extra} PASSWORD ${pg.escapeLiteral(password)}`,
  );
}

async function provisioned(t: Test, prefix: string) {
  const database = randomName(prefix);
  const role = randomName(`${prefix}r`);
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  const endpoint = endpointFor(a, database);
  await provisionLedger({ endpoint, nodeCredentials: node, adminCredentials: a.credentials, logger });
  return { database, role, node, endpoint };
}

t.test('an empty id list deletes nothing without connecting', async (t) => {
  // port 1 on loopback: any connection attempt would fail as LedgerUnreachable
  const endpoint = { host: '127.0.0.1', port: 1, database: 'none', sslMode: 'disable' as const };
  t.equal(await deletePolicyRows({ endpoint, credentials: a.credentials, policyIds: [] }), 0);
  const err = await deletePolicyRows({
    endpoint,
    credentials: a.credentials,
    policyIds: ['0'.repeat(32)],
  }).catch((e: unknown) => e);
  t.type(err, LedgerUnreachableError, 'the same call with an id does connect');
});

t.test('a database without the ledger table has nothing to delete', async (t) => {
  const database = randomName('lnotab');
  cleanupAfter(t, a, database);
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const endpoint = endpointFor(a, database);
  t.equal(await deletePolicyRows({ endpoint, credentials: a.credentials, policyIds: ['0'.repeat(32)] }), 0);
});

t.test(
  'deleting rows with a wrong password fails; only a missing database or table is nothing',
  async (t) => {
    const { endpoint, node } = await provisioned(t, 'ldelpw');
    const err = await deletePolicyRows({
      endpoint,
      credentials: { username: node.username, password: `${node.password}x` },
      policyIds: ['0'.repeat(32)],
    }).catch((e: unknown) => e);
    t.type(err, LedgerAuthFailedError);
    t.equal((err as LedgerAuthFailedError).sqlState, '28P01');
  },
);

t.test('a node role that is the admin role itself is never dropped', async (t) => {
  const database = randomName('lself');
  const role = randomName('lselfr');
  cleanupAfter(t, a, database, role);
  const self = { username: role, password: randomPassword() };
  await createLoginRole(role, self.password, 'CREATEDB CREATEROLE');
  const endpoint = endpointFor(a, database);
  const r = await provisionLedger({ endpoint, nodeCredentials: self, adminCredentials: self, logger });
  t.same(r.createdByOperator, { database: true, role: false });
  const out = await cleanupLedger({
    endpoint,
    nodeCredentials: self,
    adminCredentials: self,
    createdByOperator: { database: true, role: true },
    logger,
  });
  t.same(out, {
    droppedDatabase: true,
    droppedRole: false,
    skipped: [`role ${role}: it is the admin role itself`],
  });
  t.equal((await adminQuery(a, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).length, 1);
});

t.test('a role refused CONNECT on its database is an error, not a password to rotate', async (t) => {
  const database = randomName('lnoconn');
  const role = randomName('lnoconnr');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  await createLoginRole(role, node.password);
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  await adminQuery(a, `REVOKE CONNECT ON DATABASE ${pg.escapeIdentifier(database)} FROM PUBLIC`);
  const before = await adminQuery<{ p: string }>(
    a,
    'SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1',
    [role],
  );
  const err = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger,
  }).catch((e: unknown) => e);
  t.type(err, LedgerAuthFailedError);
  t.equal((err as LedgerAuthFailedError).sqlState, '42501');
  t.match((err as Error).message, /permission denied for database/);
  const after = await adminQuery<{ p: string }>(
    a,
    'SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1',
    [role],
  );
  t.equal(after[0]?.p, before[0]?.p, 'the password was not rewritten');
});

t.test('a node role that cannot open the maintenance database gets a permanent, coded error', async (t) => {
  // Without an admin and with its database missing, the node role reads its own row, then creates the
  // database, both through the maintenance database. A library that cannot be loaded fails every login
  // of this role there, and only there.
  const database = randomName('lnomaint');
  const role = randomName('lnomaintr');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  await createLoginRole(role, node.password, 'CREATEDB');
  await adminQuery(
    a,
    `ALTER ROLE ${pg.escapeIdentifier(role)} IN DATABASE postgres SET session_preload_libraries = 'anylog_absent_library'`,
  );
  t.equal(await tryLogin(a, 'postgres', node), '58P01', 'the role cannot log in to the maintenance database');
  const err = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    logger,
  }).catch((e: unknown) => e);
  t.type(err, LedgerSqlError);
  t.equal((err as LedgerSqlError).sqlState, '58P01');
  t.equal((err as LedgerSqlError).retryable, false);
  t.match((err as Error).message, /anylog_absent_library/);
  t.notMatch((err as Error).message, node.password);
});

t.test('a create refused for another reason than a duplicate surfaces', async (t) => {
  // an admin with CREATEROLE but not CREATEDB: CREATE DATABASE fails with 42501, even after it makes
  // itself a member of the owner role
  const database = randomName('lnocdb');
  const role = randomName('lnocdbr');
  const adminRole = randomName('lnocdba');
  cleanupAfter(t, a, database, role);
  t.teardown(() => adminQuery(a, `DROP ROLE IF EXISTS ${pg.escapeIdentifier(adminRole)}`));
  const limited = { username: adminRole, password: randomPassword() };
  await createLoginRole(adminRole, limited.password, 'CREATEROLE');
  const node = { username: role, password: randomPassword() };
  const err = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    adminCredentials: limited,
    logger,
  }).catch((e: unknown) => e);
  t.type(err, LedgerDatabaseMissingError);
  t.equal((err as LedgerDatabaseMissingError).sqlState, '42501');
  t.match((err as Error).message, `role "${adminRole}" cannot create it`);
  t.equal((await adminQuery(a, 'SELECT 1 FROM pg_database WHERE datname = $1', [database])).length, 0);
});

t.test('verification fails when an index is missing', async (t) => {
  const { database, endpoint, node } = await provisioned(t, 'lnoidx');
  const indexes = await adminQuery<{ indexname: string }>(
    a,
    "SELECT indexname FROM pg_indexes WHERE tablename = 'ledger' AND indexname NOT LIKE '%_pkey' ORDER BY 1",
    [],
    database,
  );
  t.ok(indexes.length > 0, 'the provisioned table has indexes');
  const dropped = indexes[0]?.indexname ?? '';
  await adminQuery(a, `DROP INDEX ${pg.escapeIdentifier(dropped)}`, [], database);
  const err = await verifyLedger({ endpoint, nodeCredentials: node }).catch((e: unknown) => e);
  t.type(err, LedgerSqlError);
  t.match((err as Error).message, `table ledger in ${database} lacks index(es) ${dropped}`);
});

t.test('verification and provisioning count the policy rows', async (t) => {
  const { database, endpoint, node } = await provisioned(t, 'lcount');
  await adminQuery(
    a,
    LEDGER_INSERT_SQL_PG,
    ['master', '1'.repeat(32), 'New Company', '2026-12-06T10:00:00.000000Z', '127.0.0.1', null, '{}'],
    database,
  );
  t.equal((await verifyLedger({ endpoint, nodeCredentials: node })).rows, 1);
  const again = await provisionLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger,
  });
  t.equal(again.rows, 1);
  t.same(again.steps, []);
});
