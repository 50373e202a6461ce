// The in-memory copy of `blockchain.json` as LocalLedgerFile holds it: indexes,
// running md5, byte length and a memo of derived texts; built from the file's content or empty.
import { createHash, type Hash } from 'node:crypto';
import type { LogPort as Logger } from '../../common/log-port.js';
import { PolicyIndex } from './policy-index.js';
import { parseLedgerText } from './policy-line.js';

export interface LoadedState {
  index: PolicyIndex;
  hash: Hash | undefined;
  version: string | undefined;
  endsWithNewline: boolean;
  /** File length in bytes. */
  bytes: number;
  /** Texts derived from the content (query outputs), dropped on every change. */
  readonly memo: Map<string, string>;
}

/** No file: version `0`. */
export function emptyState(): LoadedState {
  return {
    index: new PolicyIndex(),
    hash: undefined,
    version: '0',
    endsWithNewline: true,
    bytes: 0,
    memo: new Map(),
  };
}

export function warnBadLines(logger: Logger, badLines: readonly number[]): void {
  if (badLines.length > 0)
    logger.warn({ lines: badLines.slice(0, 20) }, 'ledger file lines that are not policies skipped');
}

/** The state for a file's content (lines that are not policies skipped and logged). */
export function stateOf(content: string, logger: Logger): LoadedState {
  const parsed = parseLedgerText(content);
  warnBadLines(logger, parsed.badLines);
  return {
    index: new PolicyIndex(parsed.policies),
    hash: createHash('md5').update(content, 'utf8'),
    version: undefined,
    endsWithNewline: content === '' || content.endsWith('\n'),
    bytes: Buffer.byteLength(content, 'utf8'),
    memo: new Map(),
  };
}
