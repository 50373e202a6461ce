// Every derived object name of an AnyLogMaster. No other module builds a name.
// CR names are DNS-1035 labels of at most 45 characters (C11), so every derived name stays a valid
// label and the pod name `<name>-0` with the StatefulSet revision hash label fits in 63 characters.

interface Named {
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

const nameOf = (cr: Named): string => cr.metadata.name;

/** StatefulSet and client Service of the node. */
export const nodeStatefulSetName = (cr: Named): string => nameOf(cr);
export const clientServiceName = (cr: Named): string => nameOf(cr);
/** The node pod's NetworkPolicy. */
export const networkPolicyName = (cr: Named): string => nameOf(cr);
export const headlessServiceName = (cr: Named): string => `${nameOf(cr)}-headless`;
export const configMapName = (cr: Named): string => `${nameOf(cr)}-config`;
/** The node pod (StatefulSet ordinal 0); also the policy `hostname`. */
export const nodePodName = (cr: Named): string => `${nameOf(cr)}-0`;
export const backupCronJobName = (cr: Named): string => `${nameOf(cr)}-backup`;
export const restoreJobName = (cr: Named): string => `${nameOf(cr)}-restore`;
/** Volume claim template name of the node StatefulSet. */
export const DATA_VOLUME = 'data';
export const nodePvcName = (cr: Named): string => `${DATA_VOLUME}-${nodePodName(cr)}`;

/** Managed ledger objects. */
export const ledgerCredentialsSecretName = (cr: Named): string => `${nameOf(cr)}-ledger-credentials`;
export const ledgerStatefulSetName = (cr: Named): string => `${nameOf(cr)}-ledger`;
export const ledgerServiceName = (cr: Named): string => `${nameOf(cr)}-ledger`;
export const ledgerHeadlessServiceName = (cr: Named): string => `${nameOf(cr)}-ledger-headless`;
export const ledgerPodName = (cr: Named): string => `${ledgerStatefulSetName(cr)}-0`;
export const LEDGER_VOLUME = 'pgdata';
export const ledgerPvcName = (cr: Named): string => `${LEDGER_VOLUME}-${ledgerPodName(cr)}`;

/** DNS name of the managed ledger's client Service (the default `DB_IP`). */
export function ledgerServiceHost(cr: Named): string {
  const namespace = cr.metadata.namespace ?? 'default';
  return `${ledgerServiceName(cr)}.${namespace}.svc`;
}

/** Stable DNS name of the node pod through the headless Service. */
export function nodePodHost(cr: Named): string {
  const namespace = cr.metadata.namespace ?? 'default';
  return `${nodePodName(cr)}.${headlessServiceName(cr)}.${namespace}.svc`;
}

/** REST TLS Secrets the operator issues: the CA (with its key), the node's server pair, the client pair. */
export const restCaSecretName = (cr: Named): string => `${nameOf(cr)}-rest-ca`;
export const restServerSecretName = (cr: Named): string => `${nameOf(cr)}-rest-tls`;
export const restClientSecretName = (cr: Named): string => `${nameOf(cr)}-rest-client`;
