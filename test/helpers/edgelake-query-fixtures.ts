// Reads the query findings kept in test/fixtures/edgelake/query.json: entries grouped by finding, each with
// a command (or script lines) and the answer EdgeLake gave. The other areas use edgelake-fixtures.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './vectors.js';

export interface EdgeLakeAnswer {
  /** EdgeLake's status code (0 = success). */
  readonly code: number;
  readonly text?: string;
  readonly [other: string]: unknown;
}

export interface EdgeLakeEntry {
  readonly finding: number;
  /** A command, or the lines of a script. */
  readonly input: string | readonly string[];
  readonly answer: EdgeLakeAnswer;
  readonly source: string;
  readonly note?: string;
}

export interface EdgeLakeFixture {
  readonly about: string;
  readonly ledger_file?: string;
  readonly entries: readonly EdgeLakeEntry[];
}

export function readEdgeLakeFixture(area: string): EdgeLakeFixture {
  const text = readFileSync(join(repoRoot, 'test', 'fixtures', 'edgelake', `${area}.json`), 'utf8');
  return JSON.parse(text) as EdgeLakeFixture;
}

/** The entries of one finding, each with a single-command input. */
export function commandEntries(
  fixture: EdgeLakeFixture,
  finding: number,
): (EdgeLakeEntry & { input: string })[] {
  return fixture.entries.filter(
    (e): e is EdgeLakeEntry & { input: string } => e.finding === finding && typeof e.input === 'string',
  );
}
