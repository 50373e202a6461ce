// Shared pieces of the renderers: object metadata with labels and the controller owner reference.
// Pure.
import { ANYLOG_MASTER_RESOURCE, API_GROUP_VERSION } from '../api/schema.js';
import { commonLabels, type Component } from '../api/labels.js';
import type { AnyLogMaster } from '../api/types.js';
import type { ObjectMeta, OwnerReference } from './k8s-types.js';

/** The controller owner reference every owned child carries. */
export function ownerReference(cr: AnyLogMaster): OwnerReference {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: ANYLOG_MASTER_RESOURCE.kind,
    name: cr.metadata.name,
    uid: cr.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface MetaOptions {
  readonly name: string;
  readonly operatorVersion: string;
  readonly component?: Component;
  readonly annotations?: Readonly<Record<string, string>>;
  /** False for objects that must survive the CR (retained managed-ledger Secret). */
  readonly owned?: boolean;
}

/** Metadata of a child object: name, namespace, common labels, owner reference. */
export function childMetadata(cr: AnyLogMaster, options: MetaOptions): ObjectMeta {
  const meta: ObjectMeta = {
    name: options.name,
    namespace: cr.metadata.namespace,
    labels: commonLabels(cr, options.operatorVersion, options.component ?? 'master'),
  };
  if (options.annotations !== undefined && Object.keys(options.annotations).length > 0) {
    meta.annotations = { ...options.annotations };
  }
  meta.ownerReferences = options.owned === false ? [] : [ownerReference(cr)];
  return meta;
}
