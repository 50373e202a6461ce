// Pod building blocks shared by the node and the managed-ledger StatefulSets: the restricted security
// contexts and volume claim templates whose labels never change (claim templates are
// immutable, so they carry no version label).
import {
  LABEL_MANAGED_BY,
  LABEL_PART_OF,
  APP_NAME,
  MANAGED_BY,
  selectorLabels,
  type Component,
} from '../api/labels.js';
import type { AnyLogMaster, ResolvedStorage } from '../api/types.js';
import type { PersistentVolumeClaimTemplate, PodSecurityContext, SecurityContext } from './k8s-types.js';

export function podSecurityContext(uid: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurity(readOnlyRootFilesystem = true): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

export interface ClaimOptions {
  readonly name: string;
  readonly storage: ResolvedStorage;
  readonly component: Component;
}

export function claimTemplate(cr: AnyLogMaster, options: ClaimOptions): PersistentVolumeClaimTemplate {
  const claim: PersistentVolumeClaimTemplate = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: options.name,
      labels: {
        ...selectorLabels(cr, options.component),
        [LABEL_MANAGED_BY]: MANAGED_BY,
        [LABEL_PART_OF]: APP_NAME,
      },
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: options.storage.size } } },
  };
  if (options.storage.storageClassName !== undefined) {
    claim.spec.storageClassName = options.storage.storageClassName;
  }
  return claim;
}
