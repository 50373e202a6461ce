// The backup CronJob and the restore Job of an AnyLogMaster. Both run `anylog-backup` from the node image
// with the claim mounted at /backup, reach the master's REST API at `nodeUrl`, and leave their result line
// in a termination message file outside /dev (so the local process runtime can hand it over too). With
// REST over TLS the client certificate Secret is mounted too, since the node refuses a client without one.
// Pure.
import { backupCronJobName, restoreJobName } from '../api/names.js';
import { commonLabels, type Component } from '../api/labels.js';
import { resolveSpec } from '../api/defaults.js';
import type { AnyLogMaster } from '../api/types.js';
import { childMetadata } from './common.js';
import type { BatchObject } from './k8s-types.js';
import { podSecurityContext, restrictedContainerSecurity } from './pod-parts.js';
import { NODE_UID } from './statefulset.js';

export const BACKUP_MOUNT = '/backup';
export const RESULT_PATH = '/anylog-result/message';
export const BACKUP_CONTAINER = 'backup';
export const BACKUP_TLS_DIR = '/anylog-tls';

/** The client certificate the Jobs present to a node serving REST over TLS. */
export interface BackupClientTls {
  /** Secret with `tls.crt`, `tls.key` and `ca.crt` (kubernetes.io/tls with the CA). */
  readonly secretName: string;
  /** A DNS name of the node's server certificate, checked against it. */
  readonly servername: string;
}

export interface BackupRenderInputs {
  readonly operatorVersion: string;
  readonly image: string;
  /** `http://<host>:<restPort>/` of the master (`https://` with `tls`). */
  readonly nodeUrl: string;
  readonly tls?: BackupClientTls;
}

function tlsParts(tls: BackupClientTls | undefined) {
  if (tls === undefined) return { args: [], mounts: [], volumes: [] };
  return {
    args: ['--tls-dir', BACKUP_TLS_DIR, '--servername', tls.servername],
    mounts: [{ name: 'rest-tls', mountPath: BACKUP_TLS_DIR, readOnly: true }],
    volumes: [{ name: 'rest-tls', secret: { secretName: tls.secretName, defaultMode: 0o440 } }],
  };
}

function podTemplate(
  cr: AnyLogMaster,
  inputs: BackupRenderInputs,
  component: Component,
  claim: { name: string; readOnly: boolean },
  args: string[],
): Record<string, unknown> {
  const spec = resolveSpec(cr.spec);
  const tls = tlsParts(inputs.tls);
  return {
    metadata: { labels: commonLabels(cr, inputs.operatorVersion, component) },
    spec: {
      restartPolicy: 'Never',
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(NODE_UID),
      ...(spec.imagePullSecrets.length > 0
        ? { imagePullSecrets: spec.imagePullSecrets.map((s) => ({ name: s.name })) }
        : {}),
      containers: [
        {
          name: BACKUP_CONTAINER,
          image: inputs.image,
          imagePullPolicy: spec.imagePullPolicy,
          command: ['anylog-backup', ...args, ...tls.args, '--result', RESULT_PATH],
          terminationMessagePath: RESULT_PATH,
          terminationMessagePolicy: 'FallbackToLogsOnError',
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: restrictedContainerSecurity(),
          volumeMounts: [
            { name: 'backup', mountPath: BACKUP_MOUNT, readOnly: claim.readOnly },
            ...tls.mounts,
          ],
        },
      ],
      volumes: [
        { name: 'backup', persistentVolumeClaim: { claimName: claim.name, readOnly: claim.readOnly } },
        ...tls.volumes,
      ],
    },
  };
}

/** The CronJob of `spec.backup`; undefined when the spec asks for no backup. */
export function renderBackupCronJob(cr: AnyLogMaster, inputs: BackupRenderInputs): BatchObject | undefined {
  const backup = resolveSpec(cr.spec).backup;
  if (backup === undefined) return undefined;
  const args = [
    'backup',
    '--url',
    inputs.nodeUrl,
    '--dir',
    BACKUP_MOUNT,
    '--name',
    cr.metadata.name,
    '--retention',
    String(backup.retention),
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: childMetadata(cr, {
      name: backupCronJobName(cr),
      operatorVersion: inputs.operatorVersion,
      component: 'backup',
    }),
    spec: {
      schedule: backup.schedule,
      suspend: false,
      timeZone: 'Etc/UTC',
      // One writer at a time: a slow backup is not overtaken by the next one.
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: commonLabels(cr, inputs.operatorVersion, 'backup') },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: 600,
          template: podTemplate(cr, inputs, 'backup', { name: backup.claimName, readOnly: false }, args),
        },
      },
    },
  };
}

/** The one-shot restore Job of `spec.ledger.restoreFrom`; undefined without one. */
export function renderRestoreJob(cr: AnyLogMaster, inputs: BackupRenderInputs): BatchObject | undefined {
  const from = cr.spec.ledger?.restoreFrom;
  if (from === undefined) return undefined;
  const args = ['restore', '--url', inputs.nodeUrl, '--dir', BACKUP_MOUNT, '--file', from.file];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: childMetadata(cr, {
      name: restoreJobName(cr),
      operatorVersion: inputs.operatorVersion,
      component: 'restore',
    }),
    spec: {
      // A corrupt file fails the same way every time: no retry; the operator reports it.
      backoffLimit: 0,
      activeDeadlineSeconds: 600,
      template: podTemplate(cr, inputs, 'restore', { name: from.claimName, readOnly: true }, args),
    },
  };
}
