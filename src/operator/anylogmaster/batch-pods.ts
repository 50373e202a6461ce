// PURE: the outcome of finished backup and restore Pods, read from their status alone: the result line
// `anylog-backup` leaves as the termination message, or, for a Pod that failed without one, the
// container's termination reason. Pods still running give nothing.
import { parseResult, type RunResult } from '../../backup/result.js';
import { BACKUP_CONTAINER } from '../../render/backup.js';
import { isRecord } from '../../shared/is-record.js';
import type { KubeObject } from '../framework/kube.js';
import type { BackupRun } from './backup-health.js';

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function terminatedState(pod: KubeObject): Record<string, unknown> | undefined {
  const statuses = rec(pod['status'])['containerStatuses'];
  if (!Array.isArray(statuses)) return undefined;
  const mine = statuses.map(rec).find((s) => s['name'] === BACKUP_CONTAINER);
  const terminated = rec(rec(mine?.['state'])['terminated']);
  return Object.keys(terminated).length === 0 ? undefined : terminated;
}

export type PodPhase = 'Succeeded' | 'Failed';

export function finishedPhase(pod: KubeObject): PodPhase | undefined {
  const phase = rec(pod['status'])['phase'];
  return phase === 'Succeeded' || phase === 'Failed' ? phase : undefined;
}

/** The result line of a finished Pod, if it left one. */
export function podResult(pod: KubeObject): RunResult | undefined {
  return parseResult(str(terminatedState(pod)?.['message']));
}

/** A finished Pod as a backup run; undefined while it runs. */
export function backupRunOf(pod: KubeObject): BackupRun | undefined {
  const phase = finishedPhase(pod);
  if (phase === undefined) return undefined;
  const result = podResult(pod);
  if (result !== undefined) return { result };
  return phase === 'Succeeded' ? undefined : { failure: failureOf(pod) };
}

function failureOf(pod: KubeObject): { time: string; error: string } {
  const terminated = terminatedState(pod);
  const time = str(terminated?.['finishedAt']) ?? pod.metadata.creationTimestamp ?? new Date(0).toISOString();
  const reason = str(terminated?.['reason']) ?? str(rec(pod['status'])['reason']) ?? 'Failed';
  const message = str(terminated?.['message']) ?? str(rec(pod['status'])['message']) ?? '';
  return { time, error: `${reason}: ${message}`.trim() };
}
