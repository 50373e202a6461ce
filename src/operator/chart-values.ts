// TypeBox schema of the Helm chart's values (charts/anylog-operator/values.yaml), the source of the
// generated values.schema.json. Names and defaults mirror the operator settings (operator/config.ts):
// each value becomes one environment variable of the operator Deployment. Pure data.
import { Type, type TSchema } from 'typebox';

const quantityMap = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));

const resources = Type.Object(
  {
    requests: Type.Optional(quantityMap),
    limits: Type.Optional(quantityMap),
  },
  { additionalProperties: false, description: 'Container resources of the operator' },
);

export const ChartValuesSchema: TSchema = Type.Object(
  {
    image: Type.Object(
      {
        repository: Type.String({
          minLength: 1,
          default: 'ghcr.io/anylog-operator/anylog-operator',
          description: 'Operator image repository',
        }),
        tag: Type.String({ default: '', description: "Image tag; empty = the chart's appVersion" }),
        pullPolicy: Type.Union(
          [Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')],
          {
            default: 'IfNotPresent',
          },
        ),
      },
      { additionalProperties: false },
    ),
    imagePullSecrets: Type.Array(
      Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      {
        default: [],
      },
    ),
    replicaCount: Type.Integer({ minimum: 1, maximum: 10, default: 2, description: 'Operator replicas' }),
    leaderElection: Type.Boolean({ default: true, description: 'LEADER_ELECTION' }),
    watchNamespaces: Type.Array(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }), {
      default: [],
      description: 'WATCH_NAMESPACES; empty = all namespaces',
    }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'LOG_LEVEL' },
    ),
    maxConcurrentReconciles: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 4,
      description: 'MAX_CONCURRENT_RECONCILES',
    }),
    nodeImage: Type.String({ default: '', description: 'DEFAULT_NODE_IMAGE; empty = the operator image' }),
    ledgerImage: Type.String({ minLength: 1, default: 'postgres:17', description: 'DEFAULT_LEDGER_IMAGE' }),
    ledgerAddressing: Type.Union([Type.Literal('service'), Type.Literal('pod-ip')], {
      default: 'service',
      description: 'LEDGER_ADDRESSING',
    }),
    resources,
    podSecurityContext: Type.Record(Type.String(), Type.Unknown(), { description: 'Pod security context' }),
    metrics: Type.Object(
      {
        port: Type.Integer({
          minimum: 1024,
          maximum: 65535,
          default: 8080,
          description: 'METRICS_BIND_ADDRESS port',
        }),
        serviceMonitor: Type.Object(
          {
            enabled: Type.Boolean({ default: false }),
            interval: Type.String({ default: '30s' }),
            labels: Type.Record(Type.String(), Type.String(), { default: {} }),
          },
          { additionalProperties: false },
        ),
        prometheusRule: Type.Object(
          {
            enabled: Type.Boolean({ default: false }),
            labels: Type.Record(Type.String(), Type.String(), { default: {} }),
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
      description: 'HEALTH_PROBE_BIND_ADDRESS port',
    }),
    nodeSelector: Type.Record(Type.String(), Type.String(), { default: {} }),
    tolerations: Type.Array(Type.Record(Type.String(), Type.Unknown()), { default: [] }),
    affinity: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
    podAnnotations: Type.Record(Type.String(), Type.String(), { default: {} }),
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
