// Backup health at its edges: runs folded in any order give one status (a success and a failure at the
// same instant, an older failure seen after a newer one), a long error is cut to what the status schema
// stores, the BackupStale message names where it counts from, and the schedule is read in UTC whatever
// the operator's local time zone is.
import t from 'tap';
import {
  backupHealth,
  foldBackupRuns,
  secondRunAfter,
} from '../../../../src/operator/anylogmaster/backup-health.js';
import { parseStatus } from '../../../../src/operator/anylogmaster/observed-status.js';

const SUM = 'e'.repeat(64);
const T0 = Date.parse('2026-12-06T00:00:00Z');
const HOURLY = '0 * * * *';

const success = (time: string) => ({
  result: { ok: true, time, count: 4, file: 'm.json.gz', checksum: SUM },
});
const failure = (time: string, error: string) => ({
  result: { ok: false, time, reason: 'NodeUnreachableError', error },
});

t.test('a success and a failure at the same instant: the backup is healthy, in either order', async (t) => {
  const at = '2026-12-06T02:00:00Z';
  const expected = {
    lastSuccessTime: at,
    policyCount: 4,
    file: 'm.json.gz',
    checksum: SUM,
    lastFailureTime: at,
    lastError: 'NodeUnreachableError: timeout',
  };
  const failureFirst = foldBackupRuns(undefined, [failure(at, 'timeout'), success(at)]);
  const successFirst = foldBackupRuns(undefined, [success(at), failure(at, 'timeout')]);
  t.same(failureFirst, expected, 'failure folded first');
  t.same(successFirst, expected, 'success folded first');
  for (const status of [failureFirst, successFirst]) {
    t.same(
      backupHealth({ status, schedule: HOURLY, sinceMs: T0, nowMs: Date.parse('2026-12-06T02:30:00Z') }),
      {
        status: 'True',
        reason: 'BackupSucceeded',
        message: 'm.json.gz at 2026-12-06T02:00:00Z: 4 policies',
      },
    );
  }
});

t.test('an older failure folded after a newer one changes nothing', async (t) => {
  const s = foldBackupRuns(undefined, [
    failure('2026-12-06T03:00:00Z', 'timeout'),
    failure('2026-12-06T02:00:00Z', 'connection refused'),
  ]);
  t.same(s, { lastFailureTime: '2026-12-06T03:00:00Z', lastError: 'NodeUnreachableError: timeout' });
});

t.test('a long error is cut to 1024 characters, so the status still matches its schema', async (t) => {
  const s = foldBackupRuns(undefined, [failure('2026-12-06T03:00:00Z', 'x'.repeat(2000))]);
  t.equal(s.lastError?.length, 1024);
  t.equal(s.lastError, `NodeUnreachableError: ${'x'.repeat(1002)}`);
  t.same(parseStatus({ backup: s }).dropped, [], 'the stored backup record is read back');
});

t.test('the BackupStale message names the last success, or the schedule when there was none', async (t) => {
  const after = foldBackupRuns(undefined, [success('2026-12-06T01:00:05Z')]);
  t.same(
    backupHealth({ status: after, schedule: HOURLY, sinceMs: T0, nowMs: Date.parse('2026-12-06T03:10:01Z') }),
    {
      status: 'False',
      reason: 'BackupStale',
      message: 'no successful backup for two schedule periods since 2026-12-06T01:00:05Z',
    },
  );
  t.same(
    backupHealth({ status: {}, schedule: HOURLY, sinceMs: T0, nowMs: Date.parse('2026-12-06T02:10:01Z') }),
    {
      status: 'False',
      reason: 'BackupStale',
      message: 'no successful backup for two schedule periods since the schedule was set',
    },
  );
});

t.test('the schedule is read in UTC whatever the local time zone', async (t) => {
  const saved = process.env['TZ'];
  process.env['TZ'] = 'Asia/Kolkata';
  t.teardown(() => {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  });
  t.equal(new Date(T0).getHours(), 5, 'the process runs at UTC+05:30 for this test');
  t.equal(secondRunAfter('0 3 * * *', T0), Date.parse('2026-12-07T03:00:00Z'));
});
