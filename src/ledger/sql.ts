// The SQL the operator runs against a ledger PostgreSQL: catalog reads with
// bound parameters, and utility statements (roles, databases) whose identifiers are quoted with the pg
// driver's escapeIdentifier. Role passwords appear only as SCRAM verifiers (src/ledger/scram.ts); statements
// that carry one are never logged. Pure text builders.
import pg from 'pg';
import { LEDGER_INDEXES, LEDGER_TABLE } from '../contract/ledger-ddl.js';

export function quoteIdent(name: string): string {
  return pg.escapeIdentifier(name);
}

export const MAINTENANCE_DATABASE = 'postgres';

export const SELECT_ROLE = 'SELECT rolcanlogin, rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = $1';
export const SELECT_CURRENT_ROLE =
  'SELECT rolcanlogin, rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = current_user';
export const SELECT_DATABASE = 'SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1';
export const SELECT_TABLE =
  'SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1';
export const SELECT_INDEXES =
  'SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = ANY($2::text[])';
export const TABLE_PARAMS = [LEDGER_TABLE] as const;
export const INDEX_PARAMS = [LEDGER_TABLE, [...LEDGER_INDEXES]] as const;

/** Session-level advisory lock (CREATE DATABASE cannot run inside a transaction). */
export const ADVISORY_LOCK = 'SELECT pg_advisory_lock($1)';
export const ADVISORY_UNLOCK = 'SELECT pg_advisory_unlock($1)';
/** Transaction-level advisory lock for the table and index DDL. */
export const ADVISORY_XACT_LOCK = 'SELECT pg_advisory_xact_lock($1)';

/** `CREATE ROLE "<role>" WITH LOGIN PASSWORD '<SCRAM verifier>'` — carries a credential: never log. */
export function createRoleSql(role: string, verifier: string): string {
  return `CREATE ROLE ${quoteIdent(role)} WITH LOGIN PASSWORD ${pg.escapeLiteral(verifier)}`;
}

/** `ALTER ROLE "<role>" WITH LOGIN PASSWORD '<SCRAM verifier>'` — carries a credential: never log. */
export function alterRolePasswordSql(role: string, verifier: string): string {
  return `ALTER ROLE ${quoteIdent(role)} WITH LOGIN PASSWORD ${pg.escapeLiteral(verifier)}`;
}

export function createDatabaseSql(database: string, owner?: string): string {
  const ownerClause = owner === undefined ? '' : ` OWNER ${quoteIdent(owner)}`;
  return `CREATE DATABASE ${quoteIdent(database)}${ownerClause}`;
}

/** Membership a non-superuser admin needs to create a database owned by the role. */
export function grantRoleToCurrentUserSql(role: string): string {
  return `GRANT ${quoteIdent(role)} TO CURRENT_USER`;
}

export function dropDatabaseSql(database: string): string {
  return `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`;
}

export function dropRoleSql(role: string): string {
  return `DROP ROLE IF EXISTS ${quoteIdent(role)}`;
}

export const DELETE_POLICY_ROWS = 'DELETE FROM ledger WHERE policy_id = ANY($1::text[])';
export const VERIFY_LEDGER = 'SELECT count(*)::int AS rows FROM ledger';
