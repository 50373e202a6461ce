// Reading policies from ledger text (anylog-node.md §8.5): one json.dumps policy per line; empty lines are
// skipped, lines that are not a one-key JSON object are reported to the caller and skipped. Pure.
import { tryParseOrderedJson, getKey } from '../../contract/ordered-json.js';
import { policyParts } from '../../contract/policy-id.js';
import { pythonStr } from '../../contract/python-repr.js';
import type { FilePolicy } from '../ports/ledger.js';

/** One line as a FilePolicy, or undefined when it is not a one-key policy object. */
export function parsePolicyLine(line: string, seq: number): FilePolicy | undefined {
  const value = tryParseOrderedJson(line);
  if (value === undefined) return undefined;
  const parts = policyParts(value);
  if (parts === undefined) return undefined;
  const id = getKey(parts.inner, 'id');
  return {
    type: parts.type,
    id: id === undefined ? '' : pythonStr(id),
    value,
    inner: parts.inner,
    seq,
    line,
  };
}

export interface ParsedLedgerText {
  readonly policies: FilePolicy[];
  /** 1-based numbers of lines that were not policies. */
  readonly badLines: number[];
}

/** Split ledger text into policies (file order). */
export function parseLedgerText(text: string): ParsedLedgerText {
  const policies: FilePolicy[] = [];
  const badLines: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    const policy = parsePolicyLine(line, policies.length);
    if (policy === undefined) badLines.push(i + 1);
    else policies.push(policy);
  }
  return { policies, badLines };
}

/** The file content for a list of policies: each line followed by `\n`. */
export function ledgerText(policies: readonly FilePolicy[]): string {
  let out = '';
  for (const p of policies) out += `${p.line}\n`;
  return out;
}
