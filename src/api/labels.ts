// Labels, annotation keys, the finalizer and field managers of AnyLogMaster children.
// Selector labels never contain anything that changes over time (no version, no hash).

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_VERSION = 'app.kubernetes.io/version';

export const APP_NAME = 'anylog';
export const MANAGED_BY = 'anylog-operator';

/** Pod template annotation: hash of the rendered configuration plus the credential Secret's version. */
export const ANNOTATION_CONFIG_HASH = 'anylog.co/config-hash';
/** CR annotation that removes the finalizer at once. */
export const ANNOTATION_SKIP_CLEANUP = 'anylog.co/skip-cleanup';
/** Present only under `deletionPolicy: Delete`. */
export const FINALIZER_CLEANUP = 'anylog.co/cleanup';

export const FIELD_MANAGER = 'anylog-operator';
export const FIELD_MANAGER_STATUS = 'anylog-operator-status';
export const FIELD_MANAGER_FINALIZER = 'anylog-operator-finalizer';

export type Component = 'master' | 'ledger' | 'backup' | 'restore';

interface Named {
  readonly metadata: { readonly name: string };
}

/** The labels that select pods; stable for the life of the object. */
export function selectorLabels(cr: Named, component: Component = 'master'): Record<string, string> {
  return {
    [LABEL_NAME]: APP_NAME,
    [LABEL_INSTANCE]: cr.metadata.name,
    [LABEL_COMPONENT]: component,
  };
}

/** Labels on every child object and pod template. */
export function commonLabels(
  cr: Named,
  operatorVersion: string,
  component: Component = 'master',
): Record<string, string> {
  return {
    ...selectorLabels(cr, component),
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_PART_OF]: APP_NAME,
    [LABEL_VERSION]: operatorVersion,
  };
}

/** Label selector text for the objects of one CR (used by owned-object watches and `kubectl -l`). */
export function instanceSelector(cr: Named): string {
  return `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_INSTANCE}=${cr.metadata.name}`;
}

/** Whether an existing object carries our managed-by label (never adopt). */
export function isManagedByUs(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels?.[LABEL_MANAGED_BY] === MANAGED_BY;
}
