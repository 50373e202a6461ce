// PostgreSQL LedgerStore: a pg Pool per logical database, bound parameters
// only, the contract DDL, CREATE DATABASE fallback on 3D000, SQLSTATE-based error sorting. The pool keeps
// working across a server restart: failed connections are dropped and new ones opened on the next query.
// The only importer of `pg` in the node (rule D5).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { SslMode } from '../../contract/ssl-mode.js';
import {
  LEDGER_DUMP_SQL,
  LEDGER_INSERT_SQL_PG,
  PG_LEDGER_DDL,
  PG_TABLE_EXISTS_SQL,
} from '../../contract/ledger-ddl.js';
import type { InsertOutcome, LedgerRow, LedgerStore } from '../ports/ledger.js';
import type { LogPort as Logger } from '../../common/log-port.js';
import { LedgerError, type LedgerFailure } from './errors.js';
import {
  COUNT_SUM_ROWS_SQL,
  DUMP_ROWS_SQL,
  ROWS_AFTER_SQL,
  isEarly,
  tableRow,
  type RowsAfter,
  type TableRow,
  type TableRows,
} from './table-rows.js';

export interface PgStoreOptions {
  readonly logicalName: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly sslmode?: SslMode;
  /** PEM file for verify-ca / verify-full (PGSSLROOTCERT). */
  readonly rootCertFile?: string;
  readonly poolSize: number;
  readonly connectTimeoutMs?: number;
  readonly logger: Logger;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = err.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Sort a pg/driver error into a ledger failure (SQLSTATE classes, node socket codes). */
export function classifyPgError(err: unknown): LedgerFailure {
  const code = sqlState(err) ?? '';
  if (CONNECT_CODES.has(code) || code.startsWith('08')) return 'connect';
  if (code === '28P01' || code === '28000') return 'auth';
  if (code === '3D000') return 'missing-db';
  if (code === '23505') return 'duplicate';
  if (code === '42P07') return 'table-exists';
  if (code === '42P01') return 'no-table';
  if (code === '') {
    const msg = errorMessage(err);
    if (/timeout|terminat|Connection|connect/i.test(msg)) return 'connect';
  }
  return 'sql';
}

function sslConfig(options: PgStoreOptions): pg.PoolConfig['ssl'] {
  const mode = options.sslmode ?? 'disable';
  if (mode === 'disable') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  const ca = options.rootCertFile === undefined ? undefined : readFileSync(options.rootCertFile, 'utf8');
  const base = { rejectUnauthorized: true, ...(ca === undefined ? {} : { ca }) };
  return mode === 'verify-ca' ? { ...base, checkServerIdentity: () => undefined } : base;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class PgLedgerStore implements LedgerStore, TableRows {
  readonly type = 'psql' as const;
  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PgStoreOptions,
  ) {}

  /** Open a pool and check it with one query; creates the physical database when missing (3D000). */
  static async open(options: PgStoreOptions): Promise<PgLedgerStore> {
    try {
      return await PgLedgerStore.tryOpen(options);
    } catch (err) {
      if (!(err instanceof LedgerError) || err.failure !== 'missing-db') throw err;
      await createDatabase(options);
      return PgLedgerStore.tryOpen(options);
    }
  }

  private static async tryOpen(options: PgStoreOptions): Promise<PgLedgerStore> {
    const pool = new pg.Pool({
      host: options.host,
      port: options.port,
      user: options.user,
      password: options.password,
      database: options.database,
      ssl: sslConfig(options),
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
    });
    pool.on('error', (err) => {
      options.logger.warn(
        { dbms: options.logicalName, err: errorMessage(err) },
        'idle ledger connection failed',
      );
    });
    const store = new PgLedgerStore(pool, options);
    try {
      await store.query('SELECT 1', []);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  /** One statement; a `name` makes it a named prepared statement on each connection (parsed once). */
  private async query(text: string, values: readonly unknown[], name?: string): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(
        name === undefined
          ? { text, values: values as unknown[] }
          : { name, text, values: values as unknown[] },
      );
    } catch (err) {
      throw this.wrap(err);
    }
  }

  private wrap(err: unknown): LedgerError {
    const failure = classifyPgError(err);
    const name = this.options.logicalName;
    const msg = errorMessage(err);
    const text = failure === 'connect' ? `Database '${name}' not reachable: ${msg}` : `${name}: ${msg}`;
    return new LedgerError(failure, name, text, err);
  }

  async tableExists(): Promise<boolean> {
    const result = await this.query(PG_TABLE_EXISTS_SQL, []);
    return result.rowCount !== null && result.rowCount > 0;
  }

  async createTable(): Promise<void> {
    if (await this.tableExists()) return;
    try {
      for (const stmt of PG_LEDGER_DDL) await this.query(stmt, []);
    } catch (err) {
      if (err instanceof LedgerError && err.failure === 'table-exists') return;
      throw err;
    }
  }

  async dropTable(): Promise<void> {
    await this.query('DROP TABLE ledger', []);
  }

  async insert(row: LedgerRow): Promise<InsertOutcome> {
    try {
      await this.query(
        LEDGER_INSERT_SQL_PG,
        [row.policyType, row.policyId, row.companyName, row.date, row.host, row.status, row.policy],
        'anylog_ledger_insert',
      );
      return 'inserted';
    } catch (err) {
      if (err instanceof LedgerError && err.failure === 'duplicate') return 'duplicate';
      throw err;
    }
  }

  async deleteById(policyId: string): Promise<number> {
    const result = await this.query('DELETE FROM ledger WHERE policy_id = $1', [policyId]);
    return result.rowCount ?? 0;
  }

  async dump(): Promise<string[]> {
    const result = await this.query(LEDGER_DUMP_SQL, []);
    return result.rows.map((r: { policy: unknown }) => (typeof r.policy === 'string' ? r.policy : ''));
  }

  async dumpRows(): Promise<TableRow[]> {
    const result = await this.query(DUMP_ROWS_SQL, []);
    return result.rows.map((r: Record<string, unknown>) => tableRow(r));
  }

  /** Count first, then the new rows: a row added in between shows as a count mismatch (full dump). */
  async rowsAfter(maxSeq: number, lastSeq: number): Promise<RowsAfter> {
    const counted = await this.query(COUNT_SUM_ROWS_SQL, [], 'anylog_ledger_count');
    const result = await this.query(ROWS_AFTER_SQL, [maxSeq, lastSeq], 'anylog_ledger_after');
    const rows = result.rows as Record<string, unknown>[];
    const totals = counted.rows[0] as Record<string, unknown> | undefined;
    return {
      count: Number(totals?.['n'] ?? 0),
      seqSum: Number(totals?.['s'] ?? 0),
      rows: rows.map(tableRow),
      outOfOrder: rows.some(isEarly),
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function createDatabase(options: PgStoreOptions): Promise<void> {
  const client = new pg.Client({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: 'postgres',
    ssl: sslConfig(options),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${quoteIdent(options.database)}`);
  } catch (err) {
    if (sqlState(err) === '42P04') return;
    const failure = classifyPgError(err);
    throw new LedgerError(
      failure === 'sql' ? 'missing-db' : failure,
      options.logicalName,
      `cannot create database ${options.database}: ${errorMessage(err)}`,
      err,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
