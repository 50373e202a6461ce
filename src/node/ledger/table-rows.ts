// Ledger-table reads for incremental sync: the dump with each row's
// sequence_id, and the rows added after a known sequence_id together with the table's row count, so a
// cycle can tell "only appended in dump order" (cost follows the change) from anything else (full dump).
// Implemented by both stores; callers reach it through tableRowsOf(store).
import type { LedgerStore } from '../ports/ledger.js';

/** Row order of the dump. */
export const DUMP_ROWS_SQL = 'SELECT sequence_id, policy FROM ledger ORDER BY date, sequence_id';
export const COUNT_ROWS_SQL = 'SELECT count(*) AS n FROM ledger';
/**
 * PostgreSQL also sums the sequence_ids: concurrent transactions may commit a lower sequence_id after a
 * higher one, and a late commit plus a delete would leave the count unchanged but not the sum.
 */
export const COUNT_SUM_ROWS_SQL = 'SELECT count(*) AS n, coalesce(sum(sequence_id), 0) AS s FROM ledger';
/** $1 = highest sequence_id seen, $2 = sequence_id of the last row in dump order. */
export const ROWS_AFTER_SQL =
  'SELECT sequence_id, policy, date < (SELECT date FROM ledger WHERE sequence_id = $2) AS early ' +
  'FROM ledger WHERE sequence_id > $1 ORDER BY date, sequence_id';

export interface TableRow {
  readonly seq: number;
  /** The stored policy text ('' for NULL). */
  readonly policy: string;
}

export interface RowsAfter {
  /** Rows in the table, counted before the new rows were read. */
  readonly count: number;
  /** Sum of all sequence_ids with the count (PostgreSQL), undefined where commits are serialized. */
  readonly seqSum: number | undefined;
  /** Rows with sequence_id above the given one, in dump order. */
  readonly rows: readonly TableRow[];
  /** Some new row sorts before the given last row (its date is earlier). */
  readonly outOfOrder: boolean;
}

export interface TableRows {
  dumpRows(): Promise<TableRow[]>;
  rowsAfter(maxSeq: number, lastSeq: number): Promise<RowsAfter>;
}

export function tableRowsOf(store: LedgerStore): (LedgerStore & TableRows) | undefined {
  const s = store as Partial<TableRows> & LedgerStore;
  return typeof s.dumpRows === 'function' && typeof s.rowsAfter === 'function'
    ? (s as LedgerStore & TableRows)
    : undefined;
}

/** A driver row → TableRow. */
export function tableRow(r: Record<string, unknown>): TableRow {
  const policy = r['policy'];
  return { seq: Number(r['sequence_id']), policy: typeof policy === 'string' ? policy : '' };
}

/** The early flag of ROWS_AFTER_SQL (boolean in PostgreSQL, 0/1 in SQLite, NULL when unknown). */
export function isEarly(r: Record<string, unknown>): boolean {
  const e = r['early'];
  return e === true || e === 1 || e === 1n;
}
