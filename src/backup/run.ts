// The two runs of `anylog-backup`, as functions that return their result instead of exiting: `backup`
// reads the ledger over REST, writes one archive with its checksum and prunes old ones; `restore` verifies
// an archive and pushes its policies to a master. Errors become a failed result with a reason.
import { BackupFileError, pruneBackups, readBackup, writeBackup } from './archive.js';
import { clientFor, pushPolicies, readPolicies, type ClientTlsFiles } from './ledger-rest.js';
import type { RunResult } from './result.js';

export interface BackupOptions {
  readonly url: string;
  readonly dir: string;
  readonly name: string;
  readonly retention: number;
  readonly tls?: ClientTlsFiles;
  readonly now?: () => Date;
}

export interface RestoreOptions {
  readonly url: string;
  readonly dir: string;
  readonly file: string;
  readonly tls?: ClientTlsFiles;
  readonly now?: () => Date;
}

function failed(at: Date, err: unknown): RunResult {
  const reason = err instanceof BackupFileError ? err.reason : err instanceof Error ? err.name : 'Error';
  return {
    ok: false,
    time: at.toISOString(),
    reason,
    error: err instanceof Error ? err.message : String(err),
  };
}

export async function runBackup(o: BackupOptions): Promise<RunResult> {
  const at = (o.now ?? (() => new Date()))();
  try {
    const policies = await readPolicies(clientFor(o.url, o.tls));
    const written = await writeBackup(o.dir, o.name, policies, at);
    await pruneBackups(o.dir, o.name, o.retention);
    return { ok: true, time: at.toISOString(), ...written };
  } catch (err) {
    return failed(at, err);
  }
}

export async function runRestore(o: RestoreOptions): Promise<RunResult> {
  const at = (o.now ?? (() => new Date()))();
  try {
    const policies = await readBackup(o.dir, o.file);
    const count = await pushPolicies(clientFor(o.url, o.tls), policies);
    return { ok: true, time: at.toISOString(), count, file: o.file };
  } catch (err) {
    return failed(at, err);
  }
}
