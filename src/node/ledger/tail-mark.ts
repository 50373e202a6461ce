// Types of the ledger file's incremental rewrites (docs/design/node-runtime.md §8.5, §9.5): a TailMark is a position in
// `blockchain.json` (policies, bytes and md5 state up to there), a RewritePlan what a rewrite writes, a
// ReceivedFile a transferred ledger that can be renamed into place.
import type { Hash } from 'node:crypto';
import type { FilePolicy } from '../ports/ledger.js';

/**
 * A position in the file: its first `size` policies, `bytes` long, hashing to `hash`. Valid while the file
 * is not rewritten (same generation); appends after it form the file's tail.
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

/** A received ledger file and its text (docs/design/node-runtime.md §9.4): renamed into place when it is the new content. */
export interface ReceivedFile {
  readonly path: string;
  readonly text: string;
}
