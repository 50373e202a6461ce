// provisionLedger against a real PostgreSQL: from nothing with admin
// credentials, idempotent second run, password rotation, the no-admin paths (CREATEDB or DatabaseMissing),
// a bad password, two concurrent provisioners, and a table identical to the one the node's DDL creates.
import t from 'tap';
import pg from 'pg';
import { PG_LEDGER_DDL, PG_TABLE_EXISTS_SQL } from '../../../src/contract/ledger-ddl.js';
import {
  cleanupLedger,
  executeLedgerStep,
  LedgerAuthFailedError,
  LedgerDatabaseMissingError,
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
  recordingLogger,
  tableShape,
  tryLogin,
} from './fixtures/pg-ledger.js';

const a = admin();
const logger = silentLogger();

t.test('from nothing with admin credentials: role, database, table and indexes', async (t) => {
  const database = randomName('ldb');
  const role = randomName('lrole');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  const rec = recordingLogger();
  const result = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger: rec.logger,
  });
  t.same(result.createdByOperator, { database: true, role: true });
  t.same(result.steps, ['createRole', 'createDatabase', 'createLedgerTable', 'createLedgerIndexes']);
  t.equal(result.rows, 0);

  const roles = await adminQuery<{ rolcanlogin: boolean; rolpassword: string }>(
    a,
    'SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = $1',
    [role],
  );
  t.equal(roles[0]?.rolcanlogin, true);
  t.match(roles[0]?.rolpassword, /^SCRAM-SHA-256\$4096:/);
  const owner = await adminQuery<{ owner: string }>(
    a,
    'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [database],
  );
  t.equal(owner[0]?.owner, role);
  // the verifier computed by the operator lets the role log in (server-side SCRAM check)
  t.equal(await tryLogin(a, database, node), 'ok');
  t.equal(await tryLogin(a, database, { username: role, password: 'wrong' }), '28P01');

  const logs = rec.text();
  t.match(logs, /ledger step/);
  t.notMatch(logs, node.password);
  t.notMatch(logs, a.credentials.password);
  t.notMatch(logs, /SCRAM-SHA-256\$/);

  t.test('a second run is a no-op', async (t) => {
    const again = await provisionLedger({
      endpoint: endpointFor(a, database),
      nodeCredentials: node,
      adminCredentials: a.credentials,
      logger,
    });
    t.same(again.steps, []);
    t.same(again.createdByOperator, { database: false, role: false });
  });

  t.test('password rotation converges', async (t) => {
    const rotated = { username: role, password: randomPassword() };
    const r = await provisionLedger({
      endpoint: endpointFor(a, database),
      nodeCredentials: rotated,
      adminCredentials: a.credentials,
      logger,
    });
    t.same(r.steps, ['alterRolePassword']);
    t.same(r.createdByOperator, { database: false, role: false });
    t.equal(await tryLogin(a, database, rotated), 'ok');
    t.equal(await tryLogin(a, database, node), '28P01');
  });
});

t.test('the operator-created table equals the one the node DDL creates', async (t) => {
  const opDb = randomName('lop');
  const nodeDb = randomName('lnode');
  cleanupAfter(t, a, opDb);
  cleanupAfter(t, a, nodeDb);
  // managed-style: the admin role is also the node role
  await provisionLedger({
    endpoint: endpointFor(a, opDb),
    nodeCredentials: a.credentials,
    adminCredentials: a.credentials,
    logger,
  });
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(nodeDb)}`);
  for (const sql of PG_LEDGER_DDL) await adminQuery(a, sql, [], nodeDb);
  const op = await tableShape(a, opDb);
  const nd = await tableShape(a, nodeDb);
  t.equal(op.columns.length, 8);
  t.equal(op.indexes.length, 3); // primary key, hash_index, time_index
  t.same(op, nd);
  // the node's existence check sees the operator's table, so it will not try to create it again
  t.equal((await adminQuery(a, PG_TABLE_EXISTS_SQL, [], opDb)).length, 1);
});

t.test('a table created by the node first is accepted (no steps)', async (t) => {
  const database = randomName('lpre');
  cleanupAfter(t, a, database);
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  for (const sql of PG_LEDGER_DDL) await adminQuery(a, sql, [], database);
  const r = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: a.credentials,
    logger,
  });
  t.same(r.steps, []);
});

t.test('without admin and without CREATEDB → DatabaseMissing', async (t) => {
  const database = randomName('lmiss');
  const role = randomName('lnocreate');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  await adminQuery(
    a,
    `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(node.password)}`,
  );
  const err = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    logger,
  }).catch((e: unknown) => e);
  t.type(err, LedgerDatabaseMissingError);
  const e = err as LedgerDatabaseMissingError;
  t.equal(e.reason, 'DatabaseMissing');
  t.equal(e.retryable, false);
  t.equal(e.code, 'ERR_LEDGER_MISSING');
  t.match(e.message, database);
  t.match(e.message, role);
  t.equal((await adminQuery(a, 'SELECT 1 FROM pg_database WHERE datname = $1', [database])).length, 0);
});

t.test('without admin but with CREATEDB → the node role creates the database', async (t) => {
  const database = randomName('lcdb');
  const role = randomName('lcreatedb');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  await adminQuery(
    a,
    `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN CREATEDB PASSWORD ${pg.escapeLiteral(node.password)}`,
  );
  const r = await provisionLedger({ endpoint: endpointFor(a, database), nodeCredentials: node, logger });
  t.same(r.createdByOperator, { database: true, role: false });
  t.same(r.steps, ['createDatabase', 'createLedgerTable', 'createLedgerIndexes']);
  t.equal((await verifyLedger({ endpoint: endpointFor(a, database), nodeCredentials: node })).rows, 0);
});

t.test('a bad password without admin → LedgerAuthFailed (permanent), no secret in the message', async (t) => {
  const database = randomName('lauth');
  const role = randomName('lauthr');
  cleanupAfter(t, a, database, role);
  const right = randomPassword();
  await adminQuery(a, `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(right)}`);
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(database)} OWNER ${pg.escapeIdentifier(role)}`);
  const wrong = { username: role, password: `${right}-wrong` };
  const err = await provisionLedger({
    endpoint: endpointFor(a, database),
    nodeCredentials: wrong,
    logger,
  }).catch((e: unknown) => e);
  t.type(err, LedgerAuthFailedError);
  t.equal((err as LedgerAuthFailedError).reason, 'LedgerAuthFailed');
  t.equal((err as LedgerAuthFailedError).retryable, false);
  t.notMatch((err as Error).message, right);
  const verifyErr = await verifyLedger({ endpoint: endpointFor(a, database), nodeCredentials: wrong }).catch(
    (e: unknown) => e,
  );
  t.type(verifyErr, LedgerAuthFailedError);
  t.equal((verifyErr as LedgerAuthFailedError).sqlState, '28P01');
  t.notMatch((verifyErr as Error).message, wrong.password);
});

t.test('two concurrent provisioners from nothing both succeed; each object is created once', async (t) => {
  const database = randomName('lconc');
  const role = randomName('lconcr');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  const input = {
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger,
  };
  const results = await Promise.all([provisionLedger(input), provisionLedger(input), provisionLedger(input)]);
  t.equal(results.filter((r) => r.createdByOperator.role).length, 1);
  t.equal(results.filter((r) => r.createdByOperator.database).length, 1);
  t.equal(await tryLogin(a, database, node), 'ok');
  const shape = await tableShape(a, database);
  t.equal(shape.indexes.length, 3);
});

t.test('concurrent table creation by node roles without admin does not fail', async (t) => {
  const database = randomName('lconct');
  cleanupAfter(t, a, database);
  await adminQuery(a, `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const input = { endpoint: endpointFor(a, database), nodeCredentials: a.credentials, logger };
  const results = await Promise.all(Array.from({ length: 4 }, () => provisionLedger(input)));
  t.equal(results.length, 4);
  t.equal((await tableShape(a, database)).indexes.length, 3);
});

t.test('a non-superuser admin (CREATEROLE, CREATEDB) provisions and cleans up', async (t) => {
  const database = randomName('lns');
  const role = randomName('lnsr');
  const adminRole = randomName('lnsadm');
  cleanupAfter(t, a, database, role);
  t.teardown(() => adminQuery(a, `DROP ROLE IF EXISTS ${pg.escapeIdentifier(adminRole)}`));
  const limitedAdmin = { username: adminRole, password: randomPassword() };
  await adminQuery(
    a,
    `CREATE ROLE ${pg.escapeIdentifier(adminRole)} LOGIN CREATEROLE CREATEDB PASSWORD ${pg.escapeLiteral(limitedAdmin.password)}`,
  );
  const node = { username: role, password: randomPassword() };
  const endpoint = endpointFor(a, database);
  const r = await provisionLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: limitedAdmin,
    logger,
  });
  t.same(r.createdByOperator, { database: true, role: true });
  const owner = await adminQuery<{ owner: string }>(
    a,
    'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [database],
  );
  t.equal(owner[0]?.owner, role);
  t.equal(await tryLogin(a, database, node), 'ok');
  const member = await adminQuery<{ m: boolean }>(a, "SELECT pg_has_role($1, $2, 'MEMBER') AS m", [
    adminRole,
    role,
  ]);
  t.equal(member[0]?.m, true, 'the admin granted itself membership to set the owner');
  const out = await cleanupLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: limitedAdmin,
    createdByOperator: r.createdByOperator,
    logger,
  });
  t.same(out, { droppedDatabase: true, droppedRole: true, skipped: [] });
  t.equal((await adminQuery(a, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).length, 0);
});

t.test(
  'createDatabase as a node role without CREATEDB fails as DatabaseMissing naming database and role',
  async (t) => {
    const database = randomName('lstep');
    const role = randomName('lstepr');
    cleanupAfter(t, a, database, role);
    const node = { username: role, password: randomPassword() };
    await adminQuery(
      a,
      `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(node.password)}`,
    );
    const err = await executeLedgerStep(
      { kind: 'createDatabase', database, owner: role, as: 'node' },
      { endpoint: endpointFor(a, database), nodeCredentials: node, logger },
    ).catch((e: unknown) => e);
    t.type(err, LedgerDatabaseMissingError);
    t.equal((err as LedgerDatabaseMissingError).sqlState, '42501');
    t.match(
      (err as Error).message,
      `database "${database}" does not exist and role "${role}" cannot create it`,
    );
    t.notMatch((err as Error).message, node.password);
  },
);
