// Runs whose processes all died without a `down` (a killed session, a crashed machine, a CI job cut
// short) leave a real node's network, mounts and network namespaces behind, and the next real node
// would find its bridge taken. Before a real node starts, such runs are found among the run
// directories (each real node records itself in <run>/realnode.json) and taken down the same way a
// `down` would. A run with any recorded process still alive is another developer's or test's cluster
// and is never touched.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLayout } from './paths.js';
import { readPidFiles, recordAlive } from './procs.js';

/** A run that has just recorded its node may not have recorded its first process yet. */
const STARTING_GRACE_MS = 120_000;

/** Run directories under `base` (the OS temp directory by default) that recorded a real node. */
function nodeRuns(base: string): string[] {
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((name) => name.startsWith('anylog-cp-'))
    .map((name) => join(base, name))
    .filter((runDir) => existsSync(join(runDir, 'realnode.json')))
    .sort();
}

/**
 * Live: some recorded process is still the same process (not a recycled PID), or the run recorded its node
 * so recently that it may not have recorded a process yet. Abandoned otherwise.
 */
function isLive(runDir: string, now: number): boolean {
  const records = readPidFiles(runLayout.pids(runDir));
  if (records.some(recordAlive)) return true;
  return records.length === 0 && now - statSync(join(runDir, 'realnode.json')).mtimeMs < STARTING_GRACE_MS;
}

/** Real-node runs with no live process: what they made belongs to nobody. */
export function abandonedNodeRuns(base: string = tmpdir(), now: number = Date.now()): string[] {
  return nodeRuns(base).filter((runDir) => !isLive(runDir, now));
}

/** Real-node runs that are running (or just starting). */
export function liveNodeRuns(base: string = tmpdir(), now: number = Date.now()): string[] {
  return nodeRuns(base).filter((runDir) => isLive(runDir, now));
}
