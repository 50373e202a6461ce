import t from 'tap';
import {
  backupHealth,
  foldBackupRuns,
  RUN_GRACE_MS,
  secondRunAfter,
} from '../../../../src/operator/anylogmaster/backup-health.js';
import { backupRunOf } from '../../../../src/operator/anylogmaster/batch-pods.js';
import { restoreProgress } from '../../../../src/operator/anylogmaster/steps/backup.js';
import { formatResult } from '../../../../src/backup/result.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';

const SUM = 'd'.repeat(64);
const ok = (time: string, file = 'm.json.gz') => ({
  result: { ok: true, time, count: 4, file, checksum: SUM },
});
const bad = (time: string) => ({ result: { ok: false, time, reason: 'Error', error: 'unreachable' } });
const T0 = Date.parse('2026-12-06T00:00:00Z');

t.test(
  'runs fold into status: newest success, newest failure, error cleared by a later success',
  async (t) => {
    const s1 = foldBackupRuns(undefined, [ok('2026-12-06T01:00:00Z'), bad('2026-12-06T02:00:00Z')]);
    t.same(s1, {
      lastSuccessTime: '2026-12-06T01:00:00Z',
      policyCount: 4,
      file: 'm.json.gz',
      checksum: SUM,
      lastFailureTime: '2026-12-06T02:00:00Z',
      lastError: 'Error: unreachable',
    });
    const s2 = foldBackupRuns(s1, [ok('2026-12-06T03:00:00Z', 'n.json.gz')]);
    t.equal(s2.file, 'n.json.gz');
    t.equal(s2.lastError, undefined, 'a newer success clears the error');
    t.equal(s2.lastFailureTime, '2026-12-06T02:00:00Z');
    t.same(
      foldBackupRuns(s2, [ok('2026-12-06T01:00:00Z', 'old.json.gz')]),
      s2,
      'an older run changes nothing',
    );
  },
);

t.test('secondRunAfter walks the cron schedule in UTC', async (t) => {
  t.equal(secondRunAfter('0 * * * *', T0 + 60_000), Date.parse('2026-12-06T02:00:00Z'));
  t.equal(secondRunAfter('*/5 * * * *', T0), Date.parse('2026-12-06T00:10:00Z'));
  t.equal(secondRunAfter('not a schedule', T0), undefined);
});

t.test('health: pending, succeeded, failed, stale on a fake clock', async (t) => {
  const schedule = '0 * * * *';
  const pending = backupHealth({ status: {}, schedule, sinceMs: T0, nowMs: T0 + 30 * 60_000 });
  t.match(pending, { status: 'Unknown', reason: 'BackupPending' });
  const success = foldBackupRuns(undefined, [ok('2026-12-06T01:00:05Z')]);
  t.match(
    backupHealth({ status: success, schedule, sinceMs: T0, nowMs: Date.parse('2026-12-06T01:30:00Z') }),
    {
      status: 'True',
      reason: 'BackupSucceeded',
    },
  );
  const due = Date.parse('2026-12-06T03:00:00Z') + RUN_GRACE_MS;
  t.match(backupHealth({ status: success, schedule, sinceMs: T0, nowMs: due }), { status: 'True' });
  t.match(backupHealth({ status: success, schedule, sinceMs: T0, nowMs: due + 1 }), {
    status: 'False',
    reason: 'BackupStale',
  });
  const never = backupHealth({
    status: {},
    schedule,
    sinceMs: T0,
    nowMs: T0 + 2 * 3_600_000 + RUN_GRACE_MS + 1,
  });
  t.match(never, { status: 'False', reason: 'BackupStale' }, 'no first backup within two periods');
  const failed = foldBackupRuns(success, [bad('2026-12-06T02:00:03Z')]);
  t.match(
    backupHealth({ status: failed, schedule, sinceMs: T0, nowMs: Date.parse('2026-12-06T02:01:00Z') }),
    {
      status: 'False',
      reason: 'BackupFailed',
      message: /unreachable/,
    },
  );
});

t.test('a run finishing within ten minutes of its due time is not missing yet', async (t) => {
  const schedule = '0 * * * *';
  const success = foldBackupRuns(undefined, [ok('2026-12-06T01:00:05Z')]);
  const secondDue = Date.parse('2026-12-06T03:00:00Z');
  t.match(backupHealth({ status: success, schedule, sinceMs: T0, nowMs: secondDue + 9 * 60_000 }), {
    status: 'True',
  });
  t.match(backupHealth({ status: success, schedule, sinceMs: T0, nowMs: secondDue + 10 * 60_000 }), {
    status: 'True',
  });
  t.match(backupHealth({ status: success, schedule, sinceMs: T0, nowMs: secondDue + 10 * 60_000 + 1 }), {
    reason: 'BackupStale',
  });
});

t.test("a success older than the newest failure keeps that failure's error", async (t) => {
  const failed = foldBackupRuns(undefined, [bad('2026-12-06T02:00:00Z')]);
  const s = foldBackupRuns(failed, [ok('2026-12-06T01:00:00Z')]);
  t.equal(s.lastSuccessTime, '2026-12-06T01:00:00Z');
  t.equal(s.lastError, 'Error: unreachable');
  t.match(backupHealth({ status: s, schedule: '0 * * * *', sinceMs: T0, nowMs: T0 + 3 * 3_600_000 }), {
    reason: 'BackupFailed',
  });
});

t.test('a failure older than the last success is recorded without an error', async (t) => {
  const s = foldBackupRuns(undefined, [ok('2026-12-06T02:00:00Z'), bad('2026-12-06T01:00:00Z')]);
  t.same(s, {
    lastSuccessTime: '2026-12-06T02:00:00Z',
    policyCount: 4,
    file: 'm.json.gz',
    checksum: SUM,
    lastFailureTime: '2026-12-06T01:00:00Z',
  });
});

t.test('a failed result without reason or error still reads as an error', async (t) => {
  const s = foldBackupRuns(undefined, [{ result: { ok: false, time: '2026-12-06T01:00:00Z' } }]);
  t.equal(s.lastError, 'Error: ');
});

t.test('a success without a file name is reported as a backup', async (t) => {
  const s = foldBackupRuns(undefined, [{ result: { ok: true, time: '2026-12-06T01:00:00Z' } }]);
  t.same(backupHealth({ status: s, schedule: '0 * * * *', sinceMs: T0, nowMs: T0 + 3_900_000 }), {
    status: 'True',
    reason: 'BackupSucceeded',
    message: 'backup at 2026-12-06T01:00:00Z: 0 policies',
  });
});

const pod = (phase: string, terminated?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', creationTimestamp: '2026-12-06T00:00:00Z' },
  status: {
    phase,
    containerStatuses: terminated === undefined ? [] : [{ name: 'backup', state: { terminated } }],
  },
});

t.test('a finished Pod gives its termination message result, or its failure reason', async (t) => {
  const line = formatResult({ ok: true, time: '2026-12-06T01:00:00Z', count: 2, file: 'f', checksum: SUM });
  t.same(backupRunOf(pod('Succeeded', { exitCode: 0, message: line })), {
    result: { ok: true, time: '2026-12-06T01:00:00Z', count: 2, file: 'f', checksum: SUM },
  });
  t.equal(backupRunOf(pod('Running')), undefined);
  t.same(
    backupRunOf(pod('Failed', { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-12-06T02:00:00Z' })),
    {
      failure: { time: '2026-12-06T02:00:00Z', error: 'OOMKilled:' },
    },
  );
});

t.test('restore progress: running waits, success is done, a checksum failure stalls', async (t) => {
  const from = { claimName: 'backups', file: 'f.json.gz' };
  t.match(restoreProgress([], from), { done: false, waiting: { reason: 'RestoringLedger' } });
  t.match(restoreProgress([pod('Running')], from), { done: false, waiting: { reason: 'RestoringLedger' } });
  const done = formatResult({ ok: true, time: '2026-12-06T01:00:00Z', count: 7, file: 'f.json.gz' });
  t.same(restoreProgress([pod('Succeeded', { exitCode: 0, message: done })], from), {
    done: true,
    status: { file: 'f.json.gz', policyCount: 7, completionTime: '2026-12-06T01:00:00Z' },
  });
  const corrupt = formatResult({
    ok: false,
    time: 't',
    reason: 'ChecksumMismatch',
    error: 'f.json.gz: SHA-256 …',
  });
  t.match(restoreProgress([pod('Failed', { exitCode: 1, message: corrupt })], from), {
    done: false,
    stalled: { reason: 'RestoreFailed', message: /ChecksumMismatch/ },
    policy: { status: 'False', reason: 'RestoreFailed' },
  });
});

t.test('a Pod status field of the wrong type reads as absent, never as a result', async (t) => {
  const malformed: KubeObject = {
    ...pod('Failed'),
    status: {
      phase: 'Failed',
      containerStatuses: [{ name: 'backup', state: { terminated: { message: 7 } } }],
    },
  };
  t.equal(backupRunOf(malformed), undefined, 'the whole status part is unreadable: no phase, no run');
  const noMessage = pod('Failed', { exitCode: 1, reason: 'Error', finishedAt: '2026-12-06T03:00:00Z' });
  t.same(backupRunOf(noMessage), { failure: { time: '2026-12-06T03:00:00Z', error: 'Error:' } });
});
