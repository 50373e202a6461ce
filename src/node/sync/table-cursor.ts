// What a sync cycle knows about the ledger table between cycles: the
// row count, the highest sequence_id, the last row in dump order and the running md5 of the dump text.
// advance() folds in rows read after the cursor; checkTable() says whether the table changed only by
// such appends (then the dump's md5 is known without dumping), or needs a full dump. Pure apart from
// the one store call. (PostgreSQL also compares the sum of sequence_ids: see COUNT_SUM_ROWS_SQL.)
import { createHash, type Hash } from 'node:crypto';
import type { LedgerStore } from '../ports/ledger.js';
import { tableRowsOf, type TableRow } from '../ledger/table-rows.js';

export class TableCursor {
  private digest: string | undefined;

  private constructor(
    readonly count: number,
    readonly maxSeq: number,
    /** sequence_id of the last row in dump order (0 when the table is empty). */
    readonly lastSeq: number,
    /** Sum of the sequence_ids of the rows seen. */
    readonly seqSum: number,
    private readonly hash: Hash,
  ) {}

  /** The cursor after a full dump (rows in dump order). */
  static fromRows(rows: readonly TableRow[]): TableCursor {
    return new TableCursor(0, 0, 0, 0, createHash('md5')).advance(rows);
  }

  /** The cursor after `rows` (in dump order, all sorting after this cursor's last row). */
  advance(rows: readonly TableRow[]): TableCursor {
    const hash = this.hash.copy();
    let maxSeq = this.maxSeq;
    let seqSum = this.seqSum;
    for (const r of rows) {
      hash.update(`${r.policy}\n`, 'utf8');
      if (r.seq > maxSeq) maxSeq = r.seq;
      seqSum += r.seq;
    }
    const last = rows[rows.length - 1];
    return new TableCursor(this.count + rows.length, maxSeq, last?.seq ?? this.lastSeq, seqSum, hash);
  }

  /** md5 of the dump text. */
  get md5(): string {
    this.digest ??= this.hash.copy().digest('hex');
    return this.digest;
  }
}

export type TableCheck =
  | { readonly appended: true; readonly rows: readonly TableRow[]; readonly cursor: TableCursor }
  | { readonly appended: false };

const FULL: TableCheck = { appended: false };

/**
 * Rows added since `cursor`, when they are the only change: the count grew by exactly their number and
 * none sorts before the cursor's last row. Anything else (deletes, a late commit of a lower sequence_id,
 * an earlier date, a store without row reads, an error, an empty table) asks for a full dump.
 */
export async function checkTable(store: LedgerStore, cursor: TableCursor): Promise<TableCheck> {
  const rowsStore = tableRowsOf(store);
  if (rowsStore === undefined || cursor.count === 0) return FULL;
  try {
    const after = await rowsStore.rowsAfter(cursor.maxSeq, cursor.lastSeq);
    if (after.outOfOrder || after.count !== cursor.count + after.rows.length) return FULL;
    const next = cursor.advance(after.rows);
    if (after.seqSum !== undefined && after.seqSum !== next.seqSum) return FULL;
    return { appended: true, rows: after.rows, cursor: next };
  } catch {
    return FULL;
  }
}
