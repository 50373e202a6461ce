// Reads the facts about EdgeLake kept in test/fixtures/edgelake/<area>.json: an `about` text, then one entry
// per input with EdgeLake's answer. Tests take their expected values from these entries by name, or a group of
// them by the start of their names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './vectors.js';

export interface EdgeLakeEntry {
  readonly name: string;
  readonly source?: string;
  readonly input: Record<string, unknown>;
  readonly edgelake: Record<string, unknown>;
  readonly anylog_node?: Record<string, unknown>;
}

export interface EdgeLakeFixture {
  readonly about: string;
  /** The ledger file an area's queries run against, where its answers depend on one. */
  readonly ledger_file?: string;
  readonly entries: readonly EdgeLakeEntry[];
}

export function readEdgeLakeFixture(area: string): EdgeLakeFixture {
  const path = join(repoRoot, 'test', 'fixtures', 'edgelake', `${area}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as EdgeLakeFixture;
}

/** The entry named `name` of an area's fixture; a missing name is a test bug and throws. */
export function edgeLakeEntry(area: string, name: string): EdgeLakeEntry {
  const entry = readEdgeLakeFixture(area).entries.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no entry '${name}' in test/fixtures/edgelake/${area}.json`);
  return entry;
}

/** The entries whose names start with `prefix`, in file order; none is a test bug and throws. */
export function edgeLakeEntries(area: string, prefix: string): EdgeLakeEntry[] {
  const entries = readEdgeLakeFixture(area).entries.filter((e) => e.name.startsWith(prefix));
  if (entries.length === 0) throw new Error(`no entry '${prefix}…' in test/fixtures/edgelake/${area}.json`);
  return entries;
}

/** The one command an entry sends (`input.command`); an entry without one is a test bug and throws. */
export function entryCommand(entry: EdgeLakeEntry): string {
  const command = entry.input['command'];
  if (typeof command !== 'string') throw new Error(`entry '${entry.name}' sends no single command`);
  return command;
}
