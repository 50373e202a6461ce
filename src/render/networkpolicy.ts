// The node pod's NetworkPolicy (ingress only): the TCP peer port from `spec.networkPolicy.tcpPeers`
// (every namespace when the list is empty), the REST port from the operator's own pods, the master's own
// backup and restore Job pods (they read and load the ledger over REST) and `restClients`, and no other
// port. The master runs no message broker, so there is no third port to
// open. Egress, DNS included, is left alone: the policy lists only the Ingress type. Pure.
import { resolveSpec } from '../api/defaults.js';
import { selectorLabels, type Component } from '../api/labels.js';
import { networkPolicyName } from '../api/names.js';
import type { AnyLogMaster } from '../api/types.js';
import { childMetadata } from './common.js';
import type { Labels, NetworkPolicy, NetworkPolicyPeer } from './k8s-types.js';
import { REST_PORT_NAME, TCP_PORT_NAME } from './services.js';

/** How the operator's own pods are selected: their labels, in their namespace (any when unknown). */
export interface OperatorPods {
  readonly namespace?: string;
  readonly labels: Readonly<Labels>;
}

/** The labels the chart gives the operator's pods, minus the release name (any release matches). */
export const DEFAULT_OPERATOR_POD_LABELS: Readonly<Labels> = Object.freeze({
  'app.kubernetes.io/name': 'anylog-operator',
  'app.kubernetes.io/component': 'operator',
});

export interface NetworkPolicyInputs {
  readonly operatorVersion: string;
  /** Absent: the chart's labels in any namespace. */
  readonly operatorPods?: OperatorPods;
}

/** The label every namespace carries with its own name (set by the apiserver). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The peer that matches the operator's pods. */
export function operatorPeer(operator: OperatorPods): NetworkPolicyPeer {
  return {
    namespaceSelector:
      operator.namespace === undefined || operator.namespace === ''
        ? {}
        : { matchLabels: { [NAMESPACE_NAME_LABEL]: operator.namespace } },
    podSelector: { matchLabels: { ...operator.labels } },
  };
}

/** Every pod of every namespace: what an empty `tcpPeers` means. */
const WHOLE_CLUSTER: NetworkPolicyPeer = { namespaceSelector: {} };

const copyPeer = (p: NetworkPolicyPeer): NetworkPolicyPeer => structuredClone(p);

/** The pods of the master's backup CronJob and restore Job, when the spec asks for them (same namespace). */
function jobPeers(cr: AnyLogMaster): NetworkPolicyPeer[] {
  const components: Component[] = [
    ...(cr.spec.backup === undefined ? [] : (['backup'] as const)),
    ...(cr.spec.ledger?.restoreFrom === undefined ? [] : (['restore'] as const)),
  ];
  return components.map((c) => ({ podSelector: { matchLabels: selectorLabels(cr, c) } }));
}

/** The NetworkPolicy `<name>` selecting the node pod, or undefined when `enabled` is false. */
export function renderNetworkPolicy(
  cr: AnyLogMaster,
  inputs: NetworkPolicyInputs,
): NetworkPolicy | undefined {
  const { networkPolicy } = resolveSpec(cr.spec);
  if (!networkPolicy.enabled) return undefined;
  const tcpFrom =
    networkPolicy.tcpPeers.length === 0 ? [WHOLE_CLUSTER] : networkPolicy.tcpPeers.map(copyPeer);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: childMetadata(cr, { name: networkPolicyName(cr), operatorVersion: inputs.operatorVersion }),
    spec: {
      podSelector: { matchLabels: selectorLabels(cr) },
      policyTypes: ['Ingress'],
      ingress: [
        { ports: [{ port: TCP_PORT_NAME, protocol: 'TCP' }], from: tcpFrom.map(copyPeer) },
        {
          ports: [{ port: REST_PORT_NAME, protocol: 'TCP' }],
          from: [
            operatorPeer(inputs.operatorPods ?? { labels: DEFAULT_OPERATOR_POD_LABELS }),
            ...jobPeers(cr),
            ...networkPolicy.restClients.map(copyPeer),
          ],
        },
      ],
    },
  };
}
