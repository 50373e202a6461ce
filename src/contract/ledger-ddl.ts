// The `ledger` table of logical database `blockchain`, exactly as EdgeLake creates it
// (vectors/ledger-ddl.sql), shared by the node's stores and the operator's
// ledger provisioning so an EdgeLake master and ours can share one table. Pure data, no I/O.

export const LEDGER_TABLE = 'ledger';
export const LEDGER_LOGICAL_DBMS = 'blockchain';

/** PostgreSQL statements in EdgeLake's text (create only when the table is missing). */
export const PG_LEDGER_DDL: readonly string[] = Object.freeze([
  'CREATE TABLE ledger (sequence_id SERIAL PRIMARY KEY,policy_type VARCHAR NOT NULL,policy_id VARCHAR NOT NULL,company_name VARCHAR,date TIMESTAMP NOT NULL DEFAULT NOW(),host VARCHAR NOT NULL,status VARCHAR,policy VARCHAR)',
  'CREATE UNIQUE INDEX hash_index ON ledger(policy_id)',
  'CREATE INDEX time_index ON ledger(date)',
]);

/** The same with IF NOT EXISTS, for the operator's idempotent provisioning under an advisory lock. */
export const PG_LEDGER_DDL_IF_NOT_EXISTS: readonly string[] = Object.freeze([
  'CREATE TABLE IF NOT EXISTS ledger (sequence_id SERIAL PRIMARY KEY,policy_type VARCHAR NOT NULL,policy_id VARCHAR NOT NULL,company_name VARCHAR,date TIMESTAMP NOT NULL DEFAULT NOW(),host VARCHAR NOT NULL,status VARCHAR,policy VARCHAR)',
  'CREATE UNIQUE INDEX IF NOT EXISTS hash_index ON ledger(policy_id)',
  'CREATE INDEX IF NOT EXISTS time_index ON ledger(date)',
]);

/** SQLite: EdgeLake's rewrite, executed one statement at a time. */
export const SQLITE_LEDGER_DDL: readonly string[] = Object.freeze([
  'create table ledger (sequence_id integer primary key autoincrement,policy_type varchar not null,policy_id varchar not null,company_name varchar,date timestamp not null default current_timestamp,host varchar not null,status varchar,policy varchar)',
  'create unique index hash_index on ledger(policy_id)',
  'create index time_index on ledger(date)',
]);

export const PG_TABLE_EXISTS_SQL =
  "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'ledger'";
export const SQLITE_TABLE_EXISTS_SQL = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger'";

export const LEDGER_INSERT_SQL_PG =
  'INSERT INTO ledger (policy_type, policy_id, company_name, date, host, status, policy) VALUES ($1, $2, $3, $4, $5, $6, $7)';
export const LEDGER_INSERT_SQL_SQLITE =
  'INSERT INTO ledger (policy_type, policy_id, company_name, date, host, status, policy) VALUES (?, ?, ?, ?, ?, ?, ?)';
export const LEDGER_DUMP_SQL = 'SELECT host, policy FROM ledger ORDER BY date, sequence_id';
export const LEDGER_INDEXES = Object.freeze(['hash_index', 'time_index'] as const);
/** Advisory-lock key shared by every creator of the table (operator and nodes). */
export const LEDGER_ADVISORY_LOCK_KEY = 0x616e796c; // "anyl"
