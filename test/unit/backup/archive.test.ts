import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  BackupFileError,
  backupFileName,
  listBackups,
  pruneBackups,
  readBackup,
  writeBackup,
} from '../../../src/backup/archive.js';

const POLICIES = [
  { master: { name: 'm1', company: 'Acme', id: 'a'.repeat(32), date: '2026-01-01T00:00:00.000000Z' } },
  { operator: { name: 'o1', company: 'Acme', id: 'b'.repeat(32), date: '2026-01-02T00:00:00.000000Z' } },
];

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'anylog-backup-'));

t.test('writeBackup writes the gzip JSON and a sha256sum line that matches it', async (t) => {
  const dir = tempDir();
  const at = new Date('2026-12-06T04:30:15.123Z');
  const written = await writeBackup(dir, 'master', POLICIES, at);
  t.equal(written.file, 'master-20261206T043015Z.json.gz');
  t.equal(written.count, 2);
  const data = readFileSync(join(dir, written.file));
  t.same(JSON.parse(gunzipSync(data).toString('utf8')), POLICIES, 'policies kept exactly, ids included');
  const hex = createHash('sha256').update(data).digest('hex');
  t.equal(written.checksum, hex);
  t.equal(readFileSync(join(dir, `${written.file}.sha256`), 'utf8'), `${hex}  ${written.file}\n`);
  t.same(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file is left behind',
  );
});

t.test('readBackup returns the policies of a verified file', async (t) => {
  const dir = tempDir();
  const { file } = await writeBackup(dir, 'm', POLICIES, new Date('2026-01-01T00:00:00Z'));
  t.same(await readBackup(dir, file), POLICIES);
});

t.test('readBackup refuses a file whose bytes do not match the checksum', async (t) => {
  const dir = tempDir();
  const { file } = await writeBackup(dir, 'm', POLICIES, new Date('2026-01-01T00:00:00Z'));
  const data = readFileSync(join(dir, file));
  data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
  writeFileSync(join(dir, file), data);
  const err = await readBackup(dir, file).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof BackupFileError, 'a BackupFileError');
  t.equal((err as BackupFileError).reason, 'ChecksumMismatch');
});

t.test('readBackup refuses a file without its checksum file', async (t) => {
  const dir = tempDir();
  writeFileSync(join(dir, 'lonely.json.gz'), 'x');
  const err = await readBackup(dir, 'lonely.json.gz').then(
    () => undefined,
    (e: unknown) => e,
  );
  t.equal((err as BackupFileError).reason, 'ChecksumMissing');
});

t.test('pruneBackups keeps the newest of one name and leaves other names alone', async (t) => {
  const dir = tempDir();
  const times = ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'];
  for (const time of times) await writeBackup(dir, 'm', POLICIES, new Date(time));
  await writeBackup(dir, 'other', POLICIES, new Date('2025-01-01T00:00:00Z'));
  const removed = await pruneBackups(dir, 'm', 2);
  t.same(removed, [backupFileName('m', new Date(times[0] ?? ''))]);
  t.same(await listBackups(dir, 'm'), [
    backupFileName('m', new Date(times[1] ?? '')),
    backupFileName('m', new Date(times[2] ?? '')),
  ]);
  t.equal(await listBackups(dir, 'other').then((l) => l.length), 1);
  t.notOk(readdirSync(dir).includes(`${removed[0] ?? ''}.sha256`), 'the checksum file goes with it');
});

t.test('listBackups does not take another name that shares a prefix', async (t) => {
  const dir = tempDir();
  await writeBackup(dir, 'm', POLICIES, new Date('2026-01-01T00:00:00Z'));
  await writeBackup(dir, 'm-2', POLICIES, new Date('2026-01-01T00:00:00Z'));
  t.same(await listBackups(dir, 'm'), ['m-20260101T000000Z.json.gz']);
});
