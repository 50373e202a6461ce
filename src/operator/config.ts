// Operator settings: read once from an environment snapshot (src/common/env.ts),
// validated against one TypeBox schema that also carries the defaults, every problem reported in one
// ConfigError, then frozen. OperatorSettingsSchema is exported so the chart's values schema can be
// generated from the same names and defaults.
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Env } from '../common/env.js';
import { ConfigError } from '../common/errors.js';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const BIND_ADDRESS = '^(0|([0-9A-Za-z.\\-]*|\\[[0-9a-fA-F:]+\\]):[0-9]{1,5})$';
const LABEL_PAIR = '[A-Za-z0-9][-A-Za-z0-9_./]*=[-A-Za-z0-9_.]*';
const LABEL_LIST = `^${LABEL_PAIR}(,${LABEL_PAIR})*$`;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const OperatorSettingsSchema = Type.Object(
  {
    WATCH_NAMESPACES: Type.String({ default: '', description: 'comma-separated namespaces; empty = all' }),
    POD_NAME: Type.String({
      default: '',
      description: 'pod name (downward API); identity for the Lease and Events',
    }),
    POD_NAMESPACE: Type.String({
      default: '',
      description: 'operator namespace (downward API); holds the Lease',
    }),
    LEADER_ELECTION: Type.Boolean({ default: true, description: 'Lease-based leader election' }),
    MAX_CONCURRENT_RECONCILES: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
    RESYNC_PERIOD_SECONDS: Type.Integer({ minimum: 10, maximum: 86_400, default: 600 }),
    METRICS_BIND_ADDRESS: Type.String({
      pattern: BIND_ADDRESS,
      default: ':8080',
      description: '"0" disables',
    }),
    HEALTH_PROBE_BIND_ADDRESS: Type.String({
      pattern: BIND_ADDRESS,
      default: ':8081',
      description: '"0" disables',
    }),
    LOG_LEVEL: Type.Union(
      LOG_LEVELS.map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    DEFAULT_NODE_IMAGE: Type.String({ default: '', description: 'node image; empty = the operator image' }),
    DEFAULT_LEDGER_IMAGE: Type.String({
      minLength: 1,
      default: 'postgres:17',
      description: 'managed ledger image',
    }),
    LEDGER_ADDRESSING: Type.Union([Type.Literal('service'), Type.Literal('pod-ip')], { default: 'service' }),
    OPERATOR_POD_LABELS: Type.String({
      pattern: LABEL_LIST,
      default: 'app.kubernetes.io/name=anylog-operator,app.kubernetes.io/component=operator',
      description:
        'labels (k=v,k=v) of the operator pods; node NetworkPolicies open the REST port to them in POD_NAMESPACE',
    }),
    CLEANUP_DEADLINE_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 600 }),
    SHUTDOWN_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 20 }),
  },
  { additionalProperties: false },
);

export type OperatorSettings = Static<typeof OperatorSettingsSchema>;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated, frozen settings in the shape the composition root uses. */
export interface OperatorConfig {
  readonly watchNamespaces: readonly string[];
  readonly podName: string;
  readonly podNamespace: string;
  readonly leaderElection: boolean;
  readonly maxConcurrentReconciles: number;
  readonly resyncPeriodMs: number;
  readonly metricsBindAddress: string;
  readonly healthProbeBindAddress: string;
  readonly logLevel: LogLevel;
  readonly defaultNodeImage: string;
  readonly defaultLedgerImage: string;
  readonly ledgerAddressing: 'service' | 'pod-ip';
  readonly operatorPodLabels: Readonly<Record<string, string>>;
  readonly cleanupDeadlineMs: number;
  readonly shutdownTimeoutMs: number;
}

const SETTING_NAMES = Object.keys(OperatorSettingsSchema.properties);

/** The schema's variables present in `env`; empty strings count as unset so defaults apply. */
function pick(env: Env): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  return raw;
}

function crossFieldProblems(s: OperatorSettings, namespaces: readonly string[]): string[] {
  const problems: string[] = [];
  const label = new RegExp(DNS_LABEL);
  for (const ns of namespaces) {
    if (!label.test(ns) || ns.length > 63)
      problems.push(`WATCH_NAMESPACES: ${JSON.stringify(ns)} is not a namespace name`);
  }
  if (s.LEADER_ELECTION && s.POD_NAMESPACE === '') {
    problems.push('POD_NAMESPACE: required when LEADER_ELECTION is true (the Lease lives there)');
  }
  return problems;
}

/** One problem per invalid variable (unions would otherwise report one line per member). */
function propertyProblems(values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(OperatorSettingsSchema.properties)) {
    const value = values[name];
    if (Value.Check(schema, value)) continue;
    const allowed =
      'anyOf' in schema ? (schema.anyOf as { const?: unknown }[]).map((m) => String(m.const)) : [];
    const first = [...Value.Errors(schema, value)][0];
    const why =
      allowed.length > 0 ? `must be one of ${allowed.join(', ')}` : (first?.message ?? 'is invalid');
    problems.push(`${name}: ${why} (got ${JSON.stringify(value)})`);
  }
  return problems;
}

/** `k=v,k=v` (already checked against LABEL_LIST) as a label map. */
export function parseLabelList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Validates the environment snapshot; throws one ConfigError listing every problem. */
export function loadOperatorConfig(env: Env): OperatorConfig {
  const converted = Value.Convert(OperatorSettingsSchema, pick(env));
  const withDefaults = Value.Default(OperatorSettingsSchema, converted);
  const problems = propertyProblems(withDefaults as Record<string, unknown>);
  if (problems.length > 0) throw new ConfigError(problems);
  const s = withDefaults as OperatorSettings;
  const namespaces = s.WATCH_NAMESPACES.split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const more = crossFieldProblems(s, namespaces);
  if (more.length > 0) throw new ConfigError(more);
  return Object.freeze({
    watchNamespaces: Object.freeze([...new Set(namespaces)]),
    podName: s.POD_NAME,
    podNamespace: s.POD_NAMESPACE,
    leaderElection: s.LEADER_ELECTION,
    maxConcurrentReconciles: s.MAX_CONCURRENT_RECONCILES,
    resyncPeriodMs: s.RESYNC_PERIOD_SECONDS * 1000,
    metricsBindAddress: s.METRICS_BIND_ADDRESS,
    healthProbeBindAddress: s.HEALTH_PROBE_BIND_ADDRESS,
    logLevel: s.LOG_LEVEL,
    defaultNodeImage: s.DEFAULT_NODE_IMAGE,
    defaultLedgerImage: s.DEFAULT_LEDGER_IMAGE,
    ledgerAddressing: s.LEDGER_ADDRESSING,
    operatorPodLabels: Object.freeze(parseLabelList(s.OPERATOR_POD_LABELS)),
    cleanupDeadlineMs: s.CLEANUP_DEADLINE_SECONDS * 1000,
    shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  });
}
