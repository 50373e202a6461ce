// Observes a ledger PostgreSQL for the plan (operator.md §6.1 step 2): with admin credentials the role
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

export async function observeLedger(input: ObserveInput): Promise<ObservedLedger> {
  const admin = input.adminCredentials;
  const adminView = admin === undefined ? undefined : await observeAsAdmin(input, admin);
  if (adminView !== undefined && !adminView.role.exists) {
    return {
      admin: true,
      role: adminView.role,
      databaseExists: adminView.databaseExists,
      nodeLogin: 'notTried',
      table: undefined,
    };
  }
  const nodeView = await observeAsNode(input);
  const databaseExists =
    adminView?.databaseExists ??
    (nodeView.nodeLogin === 'databaseMissing' ? false : nodeView.nodeLogin === 'ok' ? true : undefined);
  const role =
    adminView?.role ?? (nodeView.nodeLogin === 'databaseMissing' ? await observeOwnRole(input) : undefined);
  return {
    admin: adminView !== undefined,
    role,
    databaseExists,
    nodeLogin: nodeView.nodeLogin,
    table: nodeView.table,
  };
}
