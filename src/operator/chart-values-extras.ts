// TypeBox schemas of the chart values that shape the release around the operator rather than the
// operator itself: the CRD's lifecycle, disruption budget and spreading of the replicas, the optional
// NetworkPolicy and the `helm test` hook. chart-values.ts assembles them into the values schema. Pure data.
import { Type } from 'typebox';

const port = Type.Integer({ minimum: 1, maximum: 65535 });
const ports = (def: number[], description: string) =>
  Type.Array(port, { minItems: 1, uniqueItems: true, default: def, description });
const cidr = Type.String({ pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}$' });
const cidrs = (description: string) => Type.Array(cidr, { uniqueItems: true, default: [], description });
/** A NetworkPolicyPeer (podSelector / namespaceSelector / ipBlock), passed through as written. */
const peers = (description: string) =>
  Type.Array(Type.Record(Type.String(), Type.Unknown()), { default: [], description });
const intOrPercent = (description: string, def?: number) =>
  Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+%$' })], {
    description,
    ...(def === undefined ? {} : { default: def }),
  });

export const CrdsValues = Type.Object(
  {
    install: Type.Boolean({
      default: true,
      description:
        'Render the AnyLogMaster CRD as part of the release, so `helm upgrade` upgrades it. Set to false ' +
        'when the CRD is managed elsewhere (another release of this chart, GitOps, `kubectl apply`)',
    }),
    keep: Type.Boolean({
      default: true,
      description:
        'Annotate the CRD with `helm.sh/resource-policy: keep`: `helm uninstall` leaves the CRD, and with ' +
        'it every AnyLogMaster, in place',
    }),
  },
  { additionalProperties: false },
);

export const PodDisruptionBudgetValues = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description:
        'PodDisruptionBudget for the operator pods; rendered only when replicaCount > 1 (with one ' +
        'replica it would block every node drain)',
    }),
    minAvailable: intOrPercent('Replicas that voluntary disruptions (drains) must leave running', 1),
    maxUnavailable: Type.Optional(
      intOrPercent('Replicas a voluntary disruption may take down; when set, replaces minAvailable'),
    ),
  },
  { additionalProperties: false },
);

export const PodAntiAffinityValues = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description:
        'Preferred pod anti-affinity between the operator replicas, so a node failure takes down at most ' +
        'one of them when the cluster has room; ignored when `affinity.podAntiAffinity` is set',
    }),
    topologyKey: Type.String({
      minLength: 1,
      default: 'kubernetes.io/hostname',
      description: 'Node label whose values the replicas should differ in',
    }),
    weight: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 100,
      description: 'Scheduling weight (1-100)',
    }),
  },
  { additionalProperties: false },
);

export const TopologySpreadValues = Type.Array(Type.Record(Type.String(), Type.Unknown()), {
  default: [],
  description:
    'topologySpreadConstraints of the operator pods; an entry without labelSelector gets the ' +
    "operator pods' selector labels",
});

export const NetworkPolicyValues = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        'NetworkPolicy for the operator pods: ingress only to the metrics and health ports, egress only ' +
        'to the API server, AnyLog master pods, ledgers and DNS. Needs a network plugin that enforces it',
    }),
    metricsFrom: peers('Peers allowed to reach the metrics port; empty = any source'),
    healthFrom: peers(
      'Peers allowed to reach the health port; empty = any source. Kubelet probes use it, and so does the ' +
        '`helm test` pod (label `app.kubernetes.io/component: test`)',
    ),
    apiServer: Type.Object(
      {
        cidrs: cidrs(
          'Addresses of the API server endpoints (`kubectl get endpointslices -n default -l ' +
            'kubernetes.io/service-name=kubernetes`); empty = any address on the ports below',
        ),
        ports: ports([443, 6443], 'API server endpoint ports'),
      },
      { additionalProperties: false },
    ),
    nodes: Type.Object(
      {
        ports: ports(
          [32048, 32049],
          'TCP and REST ports of the AnyLog master pods (spec.network.tcpPort / restPort); the pods are ' +
            'selected by the labels the operator gives them, in the watched namespaces',
        ),
      },
      { additionalProperties: false },
    ),
    ledger: Type.Object(
      {
        ports: ports([5432], 'PostgreSQL ports of the ledgers'),
        cidrs: cidrs(
          'Addresses of external PostgreSQL ledgers; managed ledger pods are selected by label in the ' +
            'watched namespaces',
        ),
      },
      { additionalProperties: false },
    ),
    dns: Type.Object(
      {
        ports: ports([53], 'DNS ports (UDP and TCP)'),
        to: peers('Peers serving DNS (e.g. the cluster DNS pods); empty = any destination'),
      },
      { additionalProperties: false },
    ),
    extraEgress: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      default: [],
      description: 'More egress rules (NetworkPolicyEgressRule), appended as written',
    }),
  },
  { additionalProperties: false },
);

export const TestsValues = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description:
        '`helm test` hook: a pod with the operator image checks the readiness endpoint through a Service ' +
        'and that the API server serves AnyLogMasters',
    }),
    timeoutSeconds: Type.Integer({
      minimum: 5,
      maximum: 600,
      default: 60,
      description: 'How long the test pod retries before it reports a failure',
    }),
  },
  { additionalProperties: false },
);
