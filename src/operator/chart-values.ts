// TypeBox schema of the Helm chart's values (charts/anylog-operator/values.yaml), the source of the
// generated values.schema.json and of the values table in the chart's README. Names and defaults mirror
// the operator settings (operator/config.ts): each operator value becomes one environment variable of the
// operator Deployment. Every leaf carries a description, because the README's table is built from them.
// Pure data.
import { Type, type TSchema } from 'typebox';
import {
  CrdsValues,
  NetworkPolicyValues,
  PodAntiAffinityValues,
  PodDisruptionBudgetValues,
  TestsValues,
  TopologySpreadValues,
} from './chart-values-extras.js';

const quantity = Type.Union([Type.String(), Type.Number()]);

const resources = Type.Object(
  {
    requests: Type.Optional(
      Type.Record(Type.String(), quantity, {
        default: { cpu: '50m', memory: '96Mi' },
        description: 'Resource requests of the operator container',
      }),
    ),
    limits: Type.Optional(
      Type.Record(Type.String(), quantity, {
        default: { memory: '256Mi' },
        description: 'Resource limits of the operator container',
      }),
    ),
  },
  { additionalProperties: false },
);

const podSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const ChartValuesSchema: TSchema = Type.Object(
  {
    image: Type.Object(
      {
        repository: Type.String({
          minLength: 1,
          default: 'ghcr.io/anylog-operator/anylog-operator',
          description: 'Operator image repository (the image also holds the anylog-node runtime)',
        }),
        tag: Type.String({ default: '', description: "Image tag; empty = the chart's appVersion" }),
        pullPolicy: Type.Union(
          [Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')],
          {
            default: 'IfNotPresent',
            description: 'Image pull policy of the operator (and of the `helm test` pod)',
          },
        ),
      },
      { additionalProperties: false },
    ),
    imagePullSecrets: Type.Array(
      Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      {
        default: [],
        description: 'Pull secrets of the operator pods',
      },
    ),
    replicaCount: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 2,
      description: 'Operator replicas; with leader election one reconciles and the others stand by',
    }),
    leaderElection: Type.Boolean({
      default: true,
      description: 'LEADER_ELECTION: replicas elect a leader through a Lease in the release namespace',
    }),
    watchNamespaces: Type.Array(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }), {
      default: [],
      description:
        'WATCH_NAMESPACES: namespaces to watch; empty = all namespaces (a ClusterRole), else a Role in ' +
        'each listed namespace',
    }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'LOG_LEVEL of the operator' },
    ),
    maxConcurrentReconciles: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 4,
      description: 'MAX_CONCURRENT_RECONCILES: AnyLogMasters reconciled in parallel',
    }),
    nodeImage: Type.String({
      default: '',
      description: 'DEFAULT_NODE_IMAGE: image of the AnyLog node pods; empty = the operator image',
    }),
    ledgerImage: Type.String({
      minLength: 1,
      default: 'postgres:17',
      description: 'DEFAULT_LEDGER_IMAGE: image of managed PostgreSQL ledgers',
    }),
    ledgerAddressing: Type.Union([Type.Literal('service'), Type.Literal('pod-ip')], {
      default: 'service',
      description:
        'LEDGER_ADDRESSING: how the operator and the nodes reach a managed ledger (its Service DNS name or ' +
        'its pod IP)',
    }),
    resources,
    podSecurityContext: Type.Record(Type.String(), Type.Unknown(), {
      default: podSecurityContext,
      description: 'Pod security context of the operator (the defaults meet Pod Security "restricted")',
    }),
    metrics: Type.Object(
      {
        port: Type.Integer({
          minimum: 1024,
          maximum: 65535,
          default: 8080,
          description: 'METRICS_BIND_ADDRESS port (Prometheus metrics)',
        }),
        serviceMonitor: Type.Object(
          {
            enabled: Type.Boolean({
              default: false,
              description: 'ServiceMonitor for the metrics Service (needs the Prometheus Operator CRDs)',
            }),
            interval: Type.String({ default: '30s', description: 'Scrape interval' }),
            labels: Type.Record(Type.String(), Type.String(), {
              default: {},
              description: 'Extra labels of the ServiceMonitor',
            }),
          },
          { additionalProperties: false },
        ),
        prometheusRule: Type.Object(
          {
            enabled: Type.Boolean({
              default: false,
              description: 'PrometheusRule with the operator alerts (needs the Prometheus Operator CRDs)',
            }),
            labels: Type.Record(Type.String(), Type.String(), {
              default: {},
              description: 'Extra labels of the PrometheusRule',
            }),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    healthProbePort: Type.Integer({
      minimum: 1024,
      maximum: 65535,
      default: 8081,
      description: 'HEALTH_PROBE_BIND_ADDRESS port (/livez and /readyz)',
    }),
    crds: CrdsValues,
    podDisruptionBudget: PodDisruptionBudgetValues,
    podAntiAffinity: PodAntiAffinityValues,
    topologySpreadConstraints: TopologySpreadValues,
    networkPolicy: NetworkPolicyValues,
    tests: TestsValues,
    nodeSelector: Type.Record(Type.String(), Type.String(), {
      default: {},
      description: 'nodeSelector of the operator pods',
    }),
    tolerations: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      default: [],
      description: 'Tolerations of the operator pods',
    }),
    affinity: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description:
        'Affinity of the operator pods; a podAntiAffinity here replaces the one of podAntiAffinity',
    }),
    podAnnotations: Type.Record(Type.String(), Type.String(), {
      default: {},
      description: 'Annotations of the operator pods',
    }),
  },
  {
    additionalProperties: false,
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'anylog-operator chart values',
  },
);

/** The JSON Schema document written to values.schema.json (TypeBox's plain JSON, keys in schema order). */
export function chartValuesJsonSchema(): unknown {
  return JSON.parse(JSON.stringify(ChartValuesSchema));
}
