// Ledger ports: the `ledger` table behind a logical database (PostgreSQL or SQLite), the local ledger
// file `blockchain.json`, and the synchronizer (docs/design/node-runtime.md §8, §9). Implementations live in
// node/ledger/ (stores) and node/sync/; commands see only these interfaces.
import type { JsonObject, JsonValue } from '../../contract/ordered-json.js';

/** One row to insert (docs/design/node-runtime.md §8.2). */
export interface LedgerRow {
  readonly policyType: string;
  readonly policyId: string;
  readonly companyName: string | null;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  readonly date: string;
  readonly host: string;
  readonly status: string | null;
  /** json.dumps of the whole policy (docs/design/node-runtime.md §7.5). */
  readonly policy: string;
}

export type InsertOutcome = 'inserted' | 'duplicate';

/** The `ledger` table of one connected logical database. Errors are LedgerError (node/ledger/errors.ts). */
export interface LedgerStore {
  readonly type: 'psql' | 'sqlite';
  tableExists(): Promise<boolean>;
  /** Creates table and indexes when missing; a concurrent creator (42P07) counts as success. */
  createTable(): Promise<void>;
  dropTable(): Promise<void>;
  insert(row: LedgerRow): Promise<InsertOutcome>;
  /** Rows deleted (0 or 1). */
  deleteById(policyId: string): Promise<number>;
  /** `policy` values ordered by date, sequence_id (docs/design/node-runtime.md §8.4). */
  dump(): Promise<string[]>;
  close(): Promise<void>;
}

/** A parsed policy from the local file: its one-key object in order-preserving form. */
export interface FilePolicy {
  readonly type: string;
  readonly id: string;
  readonly value: JsonValue;
  /** The inner object (the value of the type key). */
  readonly inner: JsonObject;
  /** Position in file order (0-based; renumbered when the file is rewritten). */
  readonly seq: number;
  /** The exact json.dumps line (without the newline). */
  readonly line: string;
}

/** The local ledger file with its in-memory copy (docs/design/node-runtime.md §8.5). */
export interface LedgerFile {
  readonly path: string;
  policies(): readonly FilePolicy[];
  /** md5 of the file bytes, or '0' without a file. */
  metadataVersion(): string;
  hasId(id: string): boolean;
  /** The policy with this id (Map lookup). */
  byId(id: string): FilePolicy | undefined;
  /** Policies of one type in file order (index lookup). */
  byType(type: string): readonly FilePolicy[];
  /**
   * A superset, in file order, of the policies of `type` whose attribute `key` equals `value` under the
   * `blockchain get` comparison rules (docs/design/node-runtime.md §4.6); from a lazily built per-(type, key) index.
   */
  candidates(type: string, key: string, value: string): readonly FilePolicy[];
  append(dumpsLine: string): Promise<void>;
  removeIds(ids: readonly string[]): Promise<number>;
  /** Replace the whole content (install, docs/design/node-runtime.md §9.4 step 4). */
  install(content: string): Promise<void>;
  reload(): Promise<void>;
}
