// PURE: what the backup Pods of an AnyLogMaster report, folded into `status.backup`, and the BackupHealthy
// condition from it on a given clock. The newest outcome wins: a failure newer than the last success is
// BackupFailed; no success within two schedule periods of the last one (or of the CronJob's creation) is
// BackupStale; before the first run it is BackupPending.
import { Cron } from 'croner';
import type { AnyLogMasterStatus } from '../../api/types.js';
import type { RunResult } from '../../backup/result.js';
import { condition, type ConditionOutcome } from './outcomes.js';

export type BackupStatus = NonNullable<AnyLogMasterStatus['backup']>;

/** One finished backup Pod: its parsed result, or why it failed without one. */
export interface BackupRun {
  readonly result?: RunResult;
  /** The Pod failed without a result line (killed, deadline, image problem). */
  readonly failure?: { readonly time: string; readonly error: string };
}

/** A run may finish up to this long after its scheduled time before it counts as missing. */
export const RUN_GRACE_MS = 10 * 60_000;

const ms = (time: string | undefined): number => (time === undefined ? -Infinity : Date.parse(time));

function applySuccess(status: BackupStatus, r: RunResult): BackupStatus {
  if (ms(r.time) <= ms(status.lastSuccessTime)) return status;
  const next: BackupStatus = { ...status, lastSuccessTime: r.time };
  if (r.count !== undefined) next.policyCount = r.count;
  if (r.file !== undefined) next.file = r.file;
  if (r.checksum !== undefined) next.checksum = r.checksum;
  if (ms(r.time) > ms(next.lastFailureTime)) delete next.lastError;
  return next;
}

function applyRun(status: BackupStatus, run: BackupRun): BackupStatus {
  const r = run.result;
  if (r?.ok === true) return applySuccess(status, r);
  const failure =
    r === undefined ? run.failure : { time: r.time, error: `${r.reason ?? 'Error'}: ${r.error ?? ''}` };
  if (failure === undefined || ms(failure.time) <= ms(status.lastFailureTime)) return status;
  if (ms(failure.time) < ms(status.lastSuccessTime)) return { ...status, lastFailureTime: failure.time };
  return { ...status, lastFailureTime: failure.time, lastError: failure.error.slice(0, 1024) };
}

/** The previous status with every run folded in; runs already seen change nothing. */
export function foldBackupRuns(previous: BackupStatus | undefined, runs: readonly BackupRun[]): BackupStatus {
  return runs.reduce(applyRun, previous ?? {});
}

/** The second scheduled time after `fromMs` (UTC), or undefined for a schedule croner cannot read. */
export function secondRunAfter(schedule: string, fromMs: number): number | undefined {
  try {
    const cron = new Cron(schedule, { paused: true, timezone: 'Etc/UTC' });
    const first = cron.nextRun(new Date(fromMs));
    const second = first === null ? null : cron.nextRun(first);
    return second?.getTime();
  } catch {
    return undefined;
  }
}

export interface HealthInput {
  readonly status: BackupStatus;
  readonly schedule: string;
  /** When backups were first asked for (the CronJob's creation). */
  readonly sinceMs: number;
  readonly nowMs: number;
}

export function backupHealth(i: HealthInput): ConditionOutcome {
  const { status } = i;
  if (status.lastError !== undefined && ms(status.lastFailureTime) > ms(status.lastSuccessTime)) {
    return condition(
      'False',
      'BackupFailed',
      `backup at ${status.lastFailureTime} failed: ${status.lastError}`,
    );
  }
  const base = status.lastSuccessTime === undefined ? i.sinceMs : ms(status.lastSuccessTime);
  const due = secondRunAfter(i.schedule, base);
  if (due !== undefined && i.nowMs > due + RUN_GRACE_MS) {
    const since = status.lastSuccessTime ?? 'the schedule was set';
    return condition('False', 'BackupStale', `no successful backup for two schedule periods since ${since}`);
  }
  if (status.lastSuccessTime === undefined) {
    return condition('Unknown', 'BackupPending', `no backup yet; schedule ${i.schedule}`);
  }
  return condition(
    'True',
    'BackupSucceeded',
    `${status.file ?? 'backup'} at ${status.lastSuccessTime}: ${status.policyCount ?? 0} policies`,
  );
}
