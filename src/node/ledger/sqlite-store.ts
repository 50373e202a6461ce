// SQLite LedgerStore on node:sqlite: `<dbms_dir>/<name>.dbms` or in
// memory, WAL journal, busy timeout 5 s, EdgeLake's SQLite DDL run one statement at a time, bound
// parameters only. The only importer of node:sqlite (rule D5). Inserts arriving in the same event-loop
// turn are committed together in one transaction (group commit: one WAL write for the batch); each row
// still gets its own outcome, and a batch that fails as a whole is retried row by row. Any other statement
// commits the queue first (reads see every insert started before them).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  LEDGER_DUMP_SQL,
  LEDGER_INSERT_SQL_SQLITE,
  SQLITE_LEDGER_DDL,
  SQLITE_TABLE_EXISTS_SQL,
} from '../../contract/ledger-ddl.js';
import type { InsertOutcome, LedgerRow, LedgerStore } from '../ports/ledger.js';
import { LedgerError, type LedgerFailure } from './errors.js';
import {
  COUNT_ROWS_SQL,
  DUMP_ROWS_SQL,
  ROWS_AFTER_SQL,
  isEarly,
  tableRow,
  type RowsAfter,
  type TableRow,
  type TableRows,
} from './table-rows.js';

export interface SqliteStoreOptions {
  readonly logicalName: string;
  /** File path, or ':memory:'. */
  readonly location: string;
}

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

function classify(err: unknown): LedgerFailure {
  const errcode = typeof err === 'object' && err !== null && 'errcode' in err ? err.errcode : undefined;
  if (errcode === SQLITE_CONSTRAINT_UNIQUE || errcode === SQLITE_CONSTRAINT_PRIMARYKEY) return 'duplicate';
  const msg = err instanceof Error ? err.message : String(err);
  if (/no such table/i.test(msg)) return 'no-table';
  if (/already exists/i.test(msg)) return 'table-exists';
  if (/unable to open|database is locked|not open/i.test(msg)) return 'connect';
  return 'sql';
}

interface QueuedInsert {
  readonly row: LedgerRow;
  readonly resolve: (outcome: InsertOutcome) => void;
  readonly reject: (err: unknown) => void;
}

export class SqliteLedgerStore implements LedgerStore, TableRows {
  readonly type = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private queue: QueuedInsert[] = [];
  private flushScheduled = false;

  constructor(private readonly options: SqliteStoreOptions) {
    try {
      this.db = new DatabaseSync(options.location);
      this.db.exec('PRAGMA busy_timeout = 5000');
      if (options.location !== ':memory:') {
        this.db.exec('PRAGMA journal_mode = WAL');
        this.db.exec('PRAGMA synchronous = NORMAL');
        // Fewer, larger checkpoints and a page cache that holds the indexes of a large ledger.
        this.db.exec('PRAGMA wal_autocheckpoint = 8000');
        this.db.exec('PRAGMA cache_size = -16000');
      }
    } catch (err) {
      throw this.wrap(err);
    }
  }

  private wrap(err: unknown): LedgerError {
    const msg = err instanceof Error ? err.message : String(err);
    return new LedgerError(
      classify(err),
      this.options.logicalName,
      `${this.options.logicalName}: ${msg}`,
      err,
    );
  }

  /** A cached prepared statement (SQLite re-prepares it by itself after schema changes). */
  private statement(sql: string): StatementSync {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Any other statement first commits queued inserts, so a read always sees the inserts made before it. */
  private run<T>(fn: () => T): Promise<T> {
    if (this.queue.length > 0) this.flushInserts();
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(this.wrap(err));
    }
  }

  tableExists(): Promise<boolean> {
    return this.run(() => this.db.prepare(SQLITE_TABLE_EXISTS_SQL).get() !== undefined);
  }

  async createTable(): Promise<void> {
    if (await this.tableExists()) return;
    try {
      await this.run(() => {
        for (const stmt of SQLITE_LEDGER_DDL) this.db.exec(stmt);
      });
    } catch (err) {
      if (err instanceof LedgerError && err.failure === 'table-exists') return;
      throw err;
    }
  }

  dropTable(): Promise<void> {
    return this.run(() => {
      this.db.exec('DROP TABLE ledger');
    });
  }

  insert(row: LedgerRow): Promise<InsertOutcome> {
    return new Promise<InsertOutcome>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushInserts();
        });
      }
    });
  }

  /** Run one INSERT: 'duplicate' for a unique violation, other errors thrown raw. */
  private insertNow(row: LedgerRow): InsertOutcome {
    try {
      this.statement(LEDGER_INSERT_SQL_SQLITE).run(
        row.policyType,
        row.policyId,
        row.companyName,
        row.date,
        row.host,
        row.status,
        row.policy,
      );
      return 'inserted';
    } catch (err) {
      if (classify(err) === 'duplicate') return 'duplicate';
      throw err;
    }
  }

  private inTransaction(): boolean {
    return this.db.isOpen && this.db.isTransaction;
  }

  private flushInserts(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (batch.length > 1 && this.db.isOpen && !this.inTransaction()) {
      try {
        this.db.exec('BEGIN');
        const outcomes = batch.map((q) => this.insertNow(q.row));
        this.db.exec('COMMIT');
        batch.forEach((q, i) => {
          q.resolve(outcomes[i] ?? 'inserted');
        });
        return;
      } catch {
        try {
          if (this.inTransaction()) this.db.exec('ROLLBACK');
        } catch {
          // the rows are retried one by one below
        }
      }
    }
    for (const q of batch) {
      try {
        q.resolve(this.insertNow(q.row));
      } catch (err) {
        q.reject(this.wrap(err));
      }
    }
  }

  deleteById(policyId: string): Promise<number> {
    return this.run(() =>
      Number(this.statement('DELETE FROM ledger WHERE policy_id = ?').run(policyId).changes),
    );
  }

  dump(): Promise<string[]> {
    return this.run(() =>
      this.db
        .prepare(LEDGER_DUMP_SQL)
        .all()
        .map((r) => (typeof r['policy'] === 'string' ? r['policy'] : '')),
    );
  }

  dumpRows(): Promise<TableRow[]> {
    return this.run(() =>
      this.db
        .prepare(DUMP_ROWS_SQL)
        .all()
        .map((r) => tableRow(r)),
    );
  }

  rowsAfter(maxSeq: number, lastSeq: number): Promise<RowsAfter> {
    return this.run(() => {
      const counted = this.statement(COUNT_ROWS_SQL).get();
      const rows = this.statement(ROWS_AFTER_SQL.replace(/\$(\d)/g, '?$1')).all(maxSeq, lastSeq);
      return {
        count: Number(counted?.['n'] ?? 0),
        seqSum: undefined,
        rows: rows.map((r) => tableRow(r)),
        outOfOrder: rows.some((r) => isEarly(r)),
      };
    });
  }

  close(): Promise<void> {
    this.flushInserts();
    return this.run(() => {
      if (this.db.isOpen) this.db.close();
    });
  }
}
