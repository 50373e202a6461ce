// Registers the AnyLogMaster controller with the framework: the CR, owned kinds by
// the managed-by selector, node and ledger pods mapped by their instance label, the reconcile handler,
// the cleanup finalizer (only under deletionPolicy Delete) and the Ready refresh timer.
import { FINALIZER_CLEANUP } from '../../api/labels.js';
import type { Controller, ControllerSpec } from '../framework/controller.js';
import type { KubeObject } from '../framework/kube.js';
import { READY_RESYNC_MS, JITTER } from './cadence.js';
import { cleanupAnyLogMaster } from './delete.js';
import { resolveDeps, type AnyLogMasterDeps } from './deps.js';
import { conditionOf, parseStatus } from './observed-status.js';
import { reconcileAnyLogMaster } from './reconcile.js';
import {
  ANYLOG_MASTERS,
  CONFIGMAPS,
  CRONJOBS,
  JOBS,
  MANAGED_SELECTOR,
  NETWORKPOLICIES,
  PODS,
  SECRETS,
  SERVICES,
  STATEFULSETS,
  podToKeys,
} from './resources.js';
import { wantsCleanup } from './steps/validate.js';

/** What registration needs from the manager (framework/manager.ts Manager satisfies it). */
export interface ControllerHost {
  controller(spec: ControllerSpec): Controller;
}

export const CONTROLLER_NAME = 'anylogmaster';

/** The registration spec; exported for the RBAC coverage test. */
export function anyLogMasterControllerSpec(maxConcurrentReconciles?: number): ControllerSpec {
  return {
    name: CONTROLLER_NAME,
    type: ANYLOG_MASTERS,
    owns: [STATEFULSETS, SERVICES, CONFIGMAPS, SECRETS, NETWORKPOLICIES, CRONJOBS, JOBS].map((type) => ({
      type,
      labelSelector: MANAGED_SELECTOR,
    })),
    watches: [{ type: PODS, labelSelector: MANAGED_SELECTOR, mapToKey: podToKeys }],
    ...(maxConcurrentReconciles === undefined ? {} : { maxConcurrentReconciles }),
  };
}

function isReady(object: KubeObject): boolean {
  return conditionOf(parseStatus(object['status']).status, 'Ready')?.status === 'True';
}

export function registerAnyLogMasterController(manager: ControllerHost, deps: AnyLogMasterDeps): Controller {
  const resolved = resolveDeps(deps);
  return manager
    .controller(anyLogMasterControllerSpec(deps.config.maxConcurrentReconciles))
    .reconcile((ctx) => reconcileAnyLogMaster(resolved, ctx))
    .finalizer(FINALIZER_CLEANUP, {
      when: wantsCleanup,
      cleanup: (ctx) => cleanupAnyLogMaster(resolved, ctx),
    })
    .timer({ everyMs: READY_RESYNC_MS, jitter: JITTER, when: isReady });
}
