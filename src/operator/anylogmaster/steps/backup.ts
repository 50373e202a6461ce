// Backup and restore steps. Backup (after the rollout): keep the CronJob of `spec.backup` applied (suspend
// it when the field is removed), fold the results of its finished Pods into `status.backup`, and compute
// BackupHealthy with a Warning Event when it turns False. Restore (before the master policy): run the
// restore Job once and hold the policy step until it succeeded, so the restored master policy is found
// by its id instead of posted a second time.
import { backupCronJobName, nodePodHost, restClientSecretName, restoreJobName } from '../../../api/names.js';
import { LABEL_COMPONENT, LABEL_INSTANCE } from '../../../api/labels.js';
import type { AnyLogMasterStatus } from '../../../api/types.js';
import {
  renderBackupCronJob,
  renderRestoreJob,
  type BackupClientTls,
  type BackupRenderInputs,
} from '../../../render/backup.js';
import type { KubeObject } from '../../framework/kube.js';
import { backupHealth, foldBackupRuns, type BackupStatus } from '../backup-health.js';
import { backupRunOf, finishedPhase, podResult } from '../batch-pods.js';
import { FIELD_MANAGER, type PassEnv } from '../deps.js';
import { conditionOf } from '../observed-status.js';
import { condition, type ConditionOutcome, type StalledOutcome, type WaitingOutcome } from '../outcomes.js';
import { CRONJOBS, JOBS, PODS } from '../resources.js';
import { asKube, imagesOf } from './children.js';
import { ensureChild, liveObject } from './apply.js';

/** The client certificate Secret the Jobs present when the node serves REST over TLS. */
function clientTls(env: PassEnv): BackupClientTls | undefined {
  const tls = env.spec.rest.tls;
  if (!tls.enabled) return undefined;
  const user = tls.secretName !== undefined && tls.clientSecretName !== undefined;
  return {
    secretName: user ? (tls.clientSecretName ?? '') : restClientSecretName(env.cr),
    servername: nodePodHost(env.cr),
  };
}

/** REST URL of the master for the Jobs: the pod IP, or the pod's stable name when Services resolve. */
function nodeUrl(env: PassEnv, podIP: string, tls: boolean): string {
  const host = env.deps.settings.ledgerAddressing === 'pod-ip' ? podIP : nodePodHost(env.cr);
  return `${tls ? 'https' : 'http'}://${host}:${env.spec.network.restPort}/`;
}

function renderInputs(env: PassEnv, podIP: string): BackupRenderInputs {
  const tls = clientTls(env);
  return {
    operatorVersion: env.deps.operatorVersion,
    image: imagesOf(env).node,
    nodeUrl: nodeUrl(env, podIP, tls !== undefined),
    ...(tls === undefined ? {} : { tls }),
  };
}

function podsOf(env: PassEnv, component: 'backup' | 'restore'): readonly KubeObject[] {
  return env.ctx
    .cache(PODS)
    .byLabel(LABEL_INSTANCE, env.cr.metadata.name)
    .filter(
      (p) =>
        p.metadata.namespace === env.cr.metadata.namespace &&
        p.metadata.labels?.[LABEL_COMPONENT] === component,
    );
}

export interface BackupStepResult {
  readonly outcome?: ConditionOutcome;
  /** null clears `status.backup` (no backup asked for). */
  readonly status: BackupStatus | null;
}

/** Backups switched off: the CronJob is suspended, not deleted (the operator may not delete CronJobs). */
async function suspendCronJob(env: PassEnv): Promise<void> {
  const namespace = env.cr.metadata.namespace;
  const name = backupCronJobName(env.cr);
  const live = env.ctx.cache(CRONJOBS).get(`${namespace}/${name}`);
  if (live === undefined || (live['spec'] as { suspend?: boolean } | undefined)?.suspend === true) return;
  await env.ctx.kube.mergePatch(
    CRONJOBS,
    { namespace, name },
    { spec: { suspend: true } },
    { fieldManager: FIELD_MANAGER, signal: env.ctx.signal },
  );
}

async function announce(env: PassEnv, outcome: ConditionOutcome): Promise<void> {
  const before = conditionOf(env.status, 'BackupHealthy');
  if (outcome.status !== 'False' || (before?.status === 'False' && before.reason === outcome.reason)) return;
  await env.ctx.events.emit({ type: 'Warning', reason: outcome.reason, note: outcome.message });
}

export async function reconcileBackup(env: PassEnv, podIP: string): Promise<BackupStepResult> {
  const desired = renderBackupCronJob(env.cr, renderInputs(env, podIP));
  const { namespace = '', name } = env.ctx.object.metadata;
  if (desired === undefined) {
    await suspendCronJob(env);
    env.deps.domainMetrics.backupForget(namespace, name);
    return { status: null };
  }
  const live = await ensureChild(env, asKube(desired));
  const runs = podsOf(env, 'backup').flatMap((p) => backupRunOf(p) ?? []);
  const status = foldBackupRuns(env.status.backup, runs);
  const created = Date.parse(live.metadata.creationTimestamp ?? '');
  const outcome = backupHealth({
    status,
    schedule: desired.spec['schedule'] as string,
    sinceMs: Number.isNaN(created) ? env.ctx.clock.now() : created,
    nowMs: env.ctx.clock.now(),
  });
  env.deps.domainMetrics.backupObserved(namespace, name, status.lastSuccessTime, outcome.status === 'True');
  await announce(env, outcome);
  return { outcome, status };
}

export interface RestoreStepResult {
  readonly done: boolean;
  readonly status?: NonNullable<AnyLogMasterStatus['restore']>;
  readonly waiting?: WaitingOutcome;
  readonly stalled?: StalledOutcome;
  readonly policy?: ConditionOutcome;
}

/** Create the restore Job once; its pod template cannot change, so an existing one is left as it is. */
async function ensureRestoreJob(env: PassEnv, podIP: string): Promise<void> {
  const desired = renderRestoreJob(env.cr, renderInputs(env, podIP));
  if (desired === undefined) return;
  if ((await liveObject(env, 'Job', restoreJobName(env.cr))) !== undefined) return;
  await env.ctx.kube.create(JOBS, asKube(desired), { fieldManager: FIELD_MANAGER, signal: env.ctx.signal });
  await env.ctx.events.emit({
    type: 'Normal',
    reason: 'RestoringLedger',
    note: `restoring the ledger from ${env.cr.spec.ledger?.restoreFrom?.file ?? ''}`,
  });
}

export async function reconcileRestore(env: PassEnv, podIP: string): Promise<RestoreStepResult> {
  const from = env.cr.spec.ledger?.restoreFrom;
  if (from === undefined) return { done: true };
  const previous = env.status.restore;
  if (previous?.file === from.file) return { done: true, status: previous };
  await ensureRestoreJob(env, podIP);
  return restoreProgress(podsOf(env, 'restore'), from);
}

/** PURE: the restore Pods' outcome; a running or missing Pod is still restoring. */
export function restoreProgress(
  pods: readonly KubeObject[],
  from: { readonly claimName: string; readonly file: string },
): RestoreStepResult {
  for (const pod of pods) {
    const phase = finishedPhase(pod);
    const result = podResult(pod);
    if (phase === 'Succeeded' && result?.ok === true) {
      return {
        done: true,
        status: { file: from.file, policyCount: result.count ?? 0, completionTime: result.time },
      };
    }
    if (phase === 'Failed') {
      const detail =
        result === undefined
          ? 'the restore Pod failed'
          : `${result.reason ?? 'Error'}: ${result.error ?? ''}`;
      const message = `restore from ${from.claimName}/${from.file} failed: ${detail}`;
      return {
        done: false,
        stalled: { reason: 'RestoreFailed', message },
        policy: condition('False', 'RestoreFailed', message),
      };
    }
  }
  const message = `restoring the ledger from ${from.claimName}/${from.file}`;
  return {
    done: false,
    waiting: { reason: 'RestoringLedger', message },
    policy: condition('False', 'RestoringLedger', message),
  };
}
