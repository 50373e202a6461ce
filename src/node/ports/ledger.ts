// Ledger ports: the `ledger` table behind a logical database (PostgreSQL or SQLite), the master-side push
// into it, and the local ledger file `blockchain.json` with its incremental rewrites.
// Implementations live in node/ledger/; commands and
// node/sync/ see only these interfaces.
import type { Hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../contract/ordered-json.js';
import type { CommandResult } from './command-types.js';

/** One row to insert. */
export interface LedgerRow {
  readonly policyType: string;
  readonly policyId: string;
  readonly companyName: string | null;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  readonly date: string;
  readonly host: string;
  readonly status: string | null;
  /** json.dumps of the whole policy. */
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
  /** `policy` values ordered by date, sequence_id. */
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

export interface PushOptions {
  /** The `host` column: the pushing peer's socket IP, or this node's internal IP. */
  readonly host: string;
  /** `blockchain push ignore`: a duplicate id counts as success. */
  readonly ignoreDuplicate: boolean;
  /** json.dumps of the policy, when the caller made it (used only if the policy already has id and date). */
  readonly text?: string;
}

/**
 * The master-side `blockchain` ledger table as `blockchain push` and sync re-pushes write it.
 */
export interface LedgerPush {
  /** Add id and date when missing, create the table when missing, insert one row. */
  push(policy: JsonValue, options: PushOptions): Promise<CommandResult>;
}

/**
 * A position in the ledger file: its first `size` policies, `bytes` long, hashing to `hash`. Valid while the
 * file is not rewritten (same `generation`); appends after it form the file's tail.
 */
export interface TailMark {
  readonly generation: number;
  readonly size: number;
  readonly bytes: number;
  readonly hash: Hash;
}

/** What a tail or whole-file rewrite writes: `head` lines then `extra` lines (the mark goes between). */
export interface RewritePlan<R> {
  /** Lines up to the new mark (for a sync install: the master's dump). */
  readonly head: readonly FilePolicy[];
  /** Lines after the new mark (for a sync install: the re-pushed local policies). */
  readonly extra: readonly FilePolicy[];
  readonly result: R;
}

/** A received ledger file and its text: renamed into place when it is the new content. */
export interface ReceivedFile {
  readonly path: string;
  readonly text: string;
}

/** The local ledger file with its in-memory copy. */
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
   * `blockchain get` comparison rules; from a lazily built per-(type, key) index.
   */
  candidates(type: string, key: string, value: string): readonly FilePolicy[];
  append(dumpsLine: string): Promise<void>;
  /**
   * Append a new policy unless its id is in the file or an append of the same id is still pending
   * (`blockchain insert`). false = duplicate, nothing written.
   */
  appendNew(id: string, dumpsLine: string): Promise<boolean>;
  removeIds(ids: readonly string[]): Promise<number>;
  /** Replace the whole content (install). */
  install(content: string): Promise<void>;
  reload(): Promise<void>;
  /**
   * Replace the whole file with a plan made from the current policies under the file lock, so appends cannot
   * slip in between planning and writing. undefined from `plan`
   * writes nothing. Returns the plan's result and a mark after its head lines.
   */
  rewrite<R>(
    plan: (current: readonly FilePolicy[]) => RewritePlan<R> | undefined,
    source?: ReceivedFile,
  ): Promise<{ result: R; mark: TailMark } | undefined>;
  /**
   * Keep the file up to `mark` and replace what follows with the plan's lines (planned under the file lock
   * from the policies after the mark). undefined when the mark is stale or the plan declines: the caller
   * then rewrites the whole file.
   */
  rewriteTail<R>(
    mark: TailMark,
    plan: (tail: readonly FilePolicy[], inHead: (id: string) => boolean) => RewritePlan<R> | undefined,
  ): Promise<{ result: R; mark: TailMark } | undefined>;
  /** A mark at the current end of the file; undefined when the file does not end with a newline. */
  mark(): TailMark | undefined;
  /** The file's text when the in-memory policies reproduce it byte for byte, else undefined. */
  exactText(): string | undefined;
}
