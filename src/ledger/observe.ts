// Observes a ledger PostgreSQL for the plan: with admin credentials the role
// and database from the catalogs of the maintenance database; then a login as the node role into the
// target database, which also shows whether the password works, and the `ledger` table and its indexes.
import { LEDGER_TABLE } from '../contract/ledger-ddl.js';
import { withLedgerClient, type LedgerCredentials, type LedgerEndpoint } from './connect.js';
import { LedgerAuthFailedError, LedgerDatabaseMissingError, LedgerError } from './pg-errors.js';
import type { NodeLogin, ObservedLedger, RoleObservation, TableObservation } from './plan.js';
import {
  INDEX_PARAMS,
  MAINTENANCE_DATABASE,
  SELECT_CURRENT_ROLE,
  SELECT_DATABASE,
  SELECT_INDEXES,
  SELECT_ROLE,
  SELECT_TABLE,
} from './sql.js';
import type pg from 'pg';

export interface ObserveInput {
  readonly endpoint: LedgerEndpoint;
  readonly nodeCredentials: LedgerCredentials;
  readonly adminCredentials?: LedgerCredentials | undefined;
}

interface RoleRow {
  readonly rolcanlogin: boolean;
  readonly rolcreatedb: boolean;
}

function toRole(rows: readonly RoleRow[]): RoleObservation {
  const row = rows[0];
  return row === undefined
    ? { exists: false, canLogin: false, createDb: false }
    : { exists: true, canLogin: row.rolcanlogin, createDb: row.rolcreatedb };
}

async function readTable(client: pg.Client): Promise<TableObservation> {
  const table = await client.query(SELECT_TABLE, [LEDGER_TABLE]);
  if (table.rowCount === 0) return { exists: false, indexes: [] };
  const idx = await client.query<{ indexname: string }>(SELECT_INDEXES, [...INDEX_PARAMS]);
  return { exists: true, indexes: idx.rows.map((r) => r.indexname) };
}

interface AdminView {
  readonly role: RoleObservation;
  readonly databaseExists: boolean;
}

async function observeAsAdmin(input: ObserveInput, admin: LedgerCredentials): Promise<AdminView> {
  return withLedgerClient(
    { endpoint: input.endpoint, credentials: admin, database: MAINTENANCE_DATABASE },
    async (client) => {
      const role = await client.query<RoleRow>(SELECT_ROLE, [input.nodeCredentials.username]);
      const db = await client.query(SELECT_DATABASE, [input.endpoint.database]);
      return { role: toRole(role.rows), databaseExists: (db.rowCount ?? 0) > 0 };
    },
  );
}

interface NodeView {
  readonly nodeLogin: NodeLogin;
  readonly table: TableObservation | undefined;
}

async function observeAsNode(input: ObserveInput): Promise<NodeView> {
  try {
    const table = await withLedgerClient(
      { endpoint: input.endpoint, credentials: input.nodeCredentials },
      readTable,
    );
    return { nodeLogin: 'ok', table };
  } catch (err) {
    if (err instanceof LedgerDatabaseMissingError) return { nodeLogin: 'databaseMissing', table: undefined };
    if (err instanceof LedgerAuthFailedError && err.sqlState !== '42501')
      return { nodeLogin: 'authFailed', table: undefined };
    throw err;
  }
}

/** The node role's own pg_roles row, read through the maintenance database; undefined when not allowed. */
async function observeOwnRole(input: ObserveInput): Promise<RoleObservation | undefined> {
  try {
    return await withLedgerClient(
      { endpoint: input.endpoint, credentials: input.nodeCredentials, database: MAINTENANCE_DATABASE },
      async (client) => toRole((await client.query<RoleRow>(SELECT_CURRENT_ROLE)).rows),
    );
  } catch (err) {
    if (err instanceof LedgerError && !err.retryable) return undefined;
    throw err;
  }
}

async function observeWithAdmin(input: ObserveInput, admin: LedgerCredentials): Promise<ObservedLedger> {
  const view = await observeAsAdmin(input, admin);
  const base = { admin: true, role: view.role, databaseExists: view.databaseExists };
  if (!view.role.exists) return { ...base, nodeLogin: 'notTried', table: undefined };
  const node = await observeAsNode(input);
  if (node.nodeLogin === 'authFailed' && view.databaseExists) {
    // password rotation: the node role cannot log in yet, so look at the table as the admin
    const table = await withLedgerClient({ endpoint: input.endpoint, credentials: admin }, readTable);
    return { ...base, nodeLogin: 'authFailed', table };
  }
  return { ...base, nodeLogin: node.nodeLogin, table: node.table };
}

async function observeWithoutAdmin(input: ObserveInput): Promise<ObservedLedger> {
  const node = await observeAsNode(input);
  const base = { admin: false, nodeLogin: node.nodeLogin, table: node.table };
  switch (node.nodeLogin) {
    case 'ok':
      return { ...base, role: undefined, databaseExists: true };
    case 'databaseMissing':
      return { ...base, role: await observeOwnRole(input), databaseExists: false };
    case 'authFailed':
    case 'notTried':
      return { ...base, role: undefined, databaseExists: undefined };
  }
}

/** Read everything the plan needs; the node role's login is attempted only when the role exists. */
export async function observeLedger(input: ObserveInput): Promise<ObservedLedger> {
  return input.adminCredentials === undefined
    ? observeWithoutAdmin(input)
    : observeWithAdmin(input, input.adminCredentials);
}
