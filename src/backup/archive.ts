// Backup files of the ledger on a mounted volume: `<name>-<UTC stamp>.json.gz` holding the policies as one
// JSON array (each policy exactly as the node returned it, ids included), and `<file>.sha256` beside it in
// sha256sum format. Both are written to a temporary name and renamed, so a reader never sees half a file;
// pruning keeps the newest `retention` backups of one name. Reading back verifies the checksum first.
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export const BACKUP_SUFFIX = '.json.gz';
export const CHECKSUM_SUFFIX = '.sha256';

/** A checksum or content problem of a backup file; restore refuses the file. */
export class BackupFileError extends Error {
  constructor(
    readonly reason: 'ChecksumMismatch' | 'ChecksumMissing' | 'NotALedger',
    message: string,
  ) {
    super(message);
    this.name = 'BackupFileError';
  }
}

export interface WrittenBackup {
  readonly file: string;
  readonly checksum: string;
  readonly count: number;
}

/** `20261206T043015Z`: sortable, and free of characters a file name or a label could not hold. */
export function utcStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function backupFileName(name: string, at: Date): string {
  return `${name}-${utcStamp(at)}${BACKUP_SUFFIX}`;
}

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** One line of `sha256sum` output: `<hex>  <file name>`. */
export const checksumLine = (checksum: string, file: string): string => `${checksum}  ${file}\n`;

async function writeAtomically(dir: string, file: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dir, `.${file}.${process.pid}.tmp`);
  try {
    await writeFile(temp, data, { flush: true });
    await rename(temp, join(dir, file));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Writes the archive, then its checksum file; the archive is complete before its checksum names it. */
export async function writeBackup(
  dir: string,
  name: string,
  policies: readonly unknown[],
  at: Date,
): Promise<WrittenBackup> {
  const file = backupFileName(name, at);
  const data = gzipSync(Buffer.from(JSON.stringify(policies)));
  const checksum = sha256Hex(data);
  await writeAtomically(dir, file, data);
  await writeAtomically(dir, `${file}${CHECKSUM_SUFFIX}`, checksumLine(checksum, file));
  return { file, checksum, count: policies.length };
}

/** Backups of `name` in `dir`, oldest first (the stamp sorts by time). */
export async function listBackups(dir: string, name: string): Promise<string[]> {
  const prefix = `${name}-`;
  const stamp = /^\d{8}T\d{6}Z$/;
  return (await readdir(dir))
    .filter((f) => f.startsWith(prefix) && f.endsWith(BACKUP_SUFFIX))
    .filter((f) => stamp.test(f.slice(prefix.length, -BACKUP_SUFFIX.length)))
    .sort();
}

/** Removes all but the newest `keep` backups of `name` (and their checksum files); returns the removed. */
export async function pruneBackups(dir: string, name: string, keep: number): Promise<string[]> {
  const all = await listBackups(dir, name);
  const removed = all.slice(0, Math.max(0, all.length - keep));
  for (const file of removed) {
    await rm(join(dir, `${file}${CHECKSUM_SUFFIX}`), { force: true });
    await rm(join(dir, file), { force: true });
  }
  return removed;
}

function expectedChecksum(text: string, file: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m?.[2] === file) return m[1];
  }
  return undefined;
}

/** Reads a backup after checking it against its `.sha256` file; returns the policies as written. */
export async function readBackup(dir: string, file: string): Promise<unknown[]> {
  let sums: string;
  try {
    sums = await readFile(join(dir, `${file}${CHECKSUM_SUFFIX}`), 'utf8');
  } catch {
    throw new BackupFileError('ChecksumMissing', `no checksum file ${file}${CHECKSUM_SUFFIX}`);
  }
  const expected = expectedChecksum(sums, file);
  if (expected === undefined)
    throw new BackupFileError('ChecksumMissing', `${file}${CHECKSUM_SUFFIX} names no checksum for ${file}`);
  const data = await readFile(join(dir, file));
  const actual = sha256Hex(data);
  if (actual !== expected)
    throw new BackupFileError('ChecksumMismatch', `${file}: SHA-256 ${actual}, expected ${expected}`);
  const parsed: unknown = JSON.parse(gunzipSync(data).toString('utf8'));
  if (!Array.isArray(parsed)) throw new BackupFileError('NotALedger', `${file} does not hold a list`);
  const policies: unknown[] = parsed;
  return policies;
}
