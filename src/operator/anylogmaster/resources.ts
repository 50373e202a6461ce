// Resource types the AnyLogMaster controller reads and writes, and the label
// selectors of its owned-object and pod watches. One place, so the RBAC test and the controller agree.
import { ANYLOG_MASTER_RESOURCE } from '../../api/schema.js';
import { LABEL_INSTANCE, LABEL_MANAGED_BY, MANAGED_BY } from '../../api/labels.js';
import type { KubeObject, ResourceType } from '../framework/kube.js';

export const ANYLOG_MASTERS: ResourceType = {
  group: ANYLOG_MASTER_RESOURCE.group,
  version: ANYLOG_MASTER_RESOURCE.version,
  plural: ANYLOG_MASTER_RESOURCE.plural,
  kind: ANYLOG_MASTER_RESOURCE.kind,
  namespaced: true,
};

const core = (plural: string, kind: string): ResourceType => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced: true,
});

export const STATEFULSETS: ResourceType = {
  group: 'apps',
  version: 'v1',
  plural: 'statefulsets',
  kind: 'StatefulSet',
  namespaced: true,
};
const batch = (plural: string, kind: string): ResourceType => ({
  group: 'batch',
  version: 'v1',
  plural,
  kind,
  namespaced: true,
});
export const CRONJOBS = batch('cronjobs', 'CronJob');
export const JOBS = batch('jobs', 'Job');
export const SERVICES = core('services', 'Service');
export const NETWORKPOLICIES: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'networkpolicies',
  kind: 'NetworkPolicy',
  namespaced: true,
};
export const CONFIGMAPS = core('configmaps', 'ConfigMap');
export const SECRETS = core('secrets', 'Secret');
export const PODS = core('pods', 'Pod');

/** Owned kinds and pods are watched by this selector only (memory). */
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY}`;

/** The resource type of a rendered child, from its kind. */
export function typeOfKind(kind: string): ResourceType {
  switch (kind) {
    case 'StatefulSet':
      return STATEFULSETS;
    case 'Service':
      return SERVICES;
    case 'ConfigMap':
      return CONFIGMAPS;
    case 'NetworkPolicy':
      return NETWORKPOLICIES;
    case 'Secret':
      return SECRETS;
    case 'CronJob':
      return CRONJOBS;
    case 'Job':
      return JOBS;
    default:
      throw new TypeError(`the AnyLogMaster controller does not manage kind ${kind}`);
  }
}

/** Pods map to the CR named by their instance label (pods belong to the StatefulSets). */
export function podToKeys(pod: KubeObject): readonly string[] {
  const instance = pod.metadata.labels?.[LABEL_INSTANCE];
  const ns = pod.metadata.namespace;
  return instance === undefined || ns === undefined ? [] : [`${ns}/${instance}`];
}
