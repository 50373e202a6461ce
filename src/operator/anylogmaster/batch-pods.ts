// PURE: the outcome of finished backup and restore Pods, read from their status alone: the result line
// `anylog-backup` leaves as the termination message, or, for a Pod that failed without one, the
// container's termination reason. Pods still running give nothing. Pods are read through their typed
// view (views.ts), so a field of the wrong type reads as absent.
import { parseResult, type RunResult } from '../../backup/result.js';
import { BACKUP_CONTAINER } from '../../render/backup.js';
import type { KubeObject } from '../framework/kube.js';
import type { BackupRun } from './backup-health.js';
import { batchPodView, type BatchPodView } from './views.js';

type Terminated = NonNullable<
  NonNullable<
    NonNullable<NonNullable<BatchPodView['status']>['containerStatuses']>[number]['state']
  >['terminated']
>;

function terminatedState(pod: BatchPodView | undefined): Terminated | undefined {
  return pod?.status?.containerStatuses?.find((s) => s.name === BACKUP_CONTAINER)?.state?.terminated;
}

export type PodPhase = 'Succeeded' | 'Failed';

function phaseOf(view: BatchPodView | undefined): PodPhase | undefined {
  const phase = view?.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' ? phase : undefined;
}

export function finishedPhase(pod: KubeObject): PodPhase | undefined {
  return phaseOf(batchPodView(pod));
}

/** The result line of a finished Pod, if it left one. */
export function podResult(pod: KubeObject): RunResult | undefined {
  return parseResult(terminatedState(batchPodView(pod))?.message);
}

/** A finished Pod as a backup run; undefined while it runs. The Pod is read once. */
export function backupRunOf(pod: KubeObject): BackupRun | undefined {
  const view = batchPodView(pod);
  const phase = phaseOf(view);
  if (phase === undefined) return undefined;
  const result = parseResult(terminatedState(view)?.message);
  if (result !== undefined) return { result };
  return phase === 'Succeeded' ? undefined : { failure: failureOf(pod, view) };
}

/** The container's terminated state, else the Pod status (a Pod killed before its container ran). */
function failureDetail(view: BatchPodView | undefined): { reason: string; message: string } {
  const terminated = terminatedState(view);
  return {
    reason: terminated?.reason ?? view?.status?.reason ?? 'Failed',
    message: terminated?.message ?? view?.status?.message ?? '',
  };
}

function failureOf(pod: KubeObject, view: BatchPodView | undefined): { time: string; error: string } {
  const time =
    terminatedState(view)?.finishedAt ?? pod.metadata.creationTimestamp ?? new Date(0).toISOString();
  const { reason, message } = failureDetail(view);
  return { time, error: `${reason}: ${message}`.trim() };
}
