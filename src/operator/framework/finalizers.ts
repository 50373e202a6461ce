// Pure helpers over metadata.finalizers: presence checks, the decision to
// add or remove, and the minimal server-side-apply body under the finalizer's own field manager,
// which owns only that one list entry so other finalizers are never disturbed.
import type { KubeObject, ObjectMeta } from './kube.js';

export function hasFinalizer(meta: ObjectMeta, finalizer: string): boolean {
  return (meta.finalizers ?? []).includes(finalizer);
}

export function isDeleting(meta: ObjectMeta): boolean {
  return meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== '';
}

export type FinalizerAction = 'add' | 'remove' | 'none';

/** What to do so presence matches `wanted`; never adds to an object that is being deleted. */
export function decideFinalizer(meta: ObjectMeta, finalizer: string, wanted: boolean): FinalizerAction {
  const present = hasFinalizer(meta, finalizer);
  if (wanted && !present) return isDeleting(meta) ? 'none' : 'add';
  if (!wanted && present) return 'remove';
  return 'none';
}

/**
 * The apply body for the finalizer field manager: only identity and the one entry when present, an
 * empty list when absent (SSA then drops the entry this manager owned).
 */
export function finalizerApplyBody(object: KubeObject, finalizer: string, present: boolean): KubeObject {
  const { name, namespace } = object.metadata;
  const metadata = {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    finalizers: present ? [finalizer] : [],
  };
  return { apiVersion: object.apiVersion, kind: object.kind, metadata };
}
