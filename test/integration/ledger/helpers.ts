// Shared fixtures for the ledger integration suites: admin access to the test PostgreSQL
// (ANYLOG_TEST_PG_URL), random role and database names with teardown, catalog snapshots of a `ledger`
// table for comparison, and a logger that records every line so tests can look for secrets.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { adminUrl } from '../../helpers/pg.js';
import { createLogger, type Logger } from '../../../src/shared/logger.js';
import type { LedgerCredentials, LedgerEndpoint } from '../../../src/ledger/index.js';

export interface Admin {
  readonly host: string;
  readonly port: number;
  readonly credentials: LedgerCredentials;
}

export function admin(url = adminUrl()): Admin {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    credentials: { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) },
  };
}

export function endpointFor(a: Admin, database: string): LedgerEndpoint {
  return { host: a.host, port: a.port, database, sslMode: 'disable' };
}

export function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function adminQuery<R extends pg.QueryResultRow>(
  a: Admin,
  sql: string,
  params: unknown[] = [],
  database = 'postgres',
): Promise<R[]> {
  const c = new pg.Client({
    host: a.host,
    port: a.port,
    user: a.credentials.username,
    password: a.credentials.password,
    database,
  });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Drop the database and role in teardown (whatever the test left). */
export function cleanupAfter(t: Test, a: Admin, database: string, role?: string): void {
  t.teardown(async () => {
    await adminQuery(a, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    if (role !== undefined) await adminQuery(a, `DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  });
}

/** Try to log in; resolves to the SQLSTATE of the failure, or 'ok'. */
export async function tryLogin(a: Admin, database: string, credentials: LedgerCredentials): Promise<string> {
  const c = new pg.Client({
    host: a.host,
    port: a.port,
    user: credentials.username,
    password: credentials.password,
    database,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return 'ok';
  } catch (err) {
    return err instanceof pg.DatabaseError ? (err.code ?? 'unknown') : 'error';
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface TableShape {
  readonly columns: unknown[];
  readonly indexes: unknown[];
}

/** Columns (information_schema) and index definitions of `ledger` in a database. */
export async function tableShape(a: Admin, database: string): Promise<TableShape> {
  const columns = await adminQuery(
    a,
    `SELECT column_name, ordinal_position, data_type, is_nullable, column_default, character_maximum_length
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'ledger'
       ORDER BY ordinal_position`,
    [],
    database,
  );
  const indexes = await adminQuery(
    a,
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'ledger'
       ORDER BY indexname`,
    [],
    database,
  );
  return { columns, indexes };
}

export interface RecordingLogger {
  readonly logger: Logger;
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination: stream }), text: () => chunks.join('') };
}
