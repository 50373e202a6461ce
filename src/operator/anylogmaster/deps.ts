// What the AnyLogMaster controller needs from the composition root (src/operator/main.ts ControllerDeps
// is a structural superset), resolved once at registration, plus the per-pass environment handed to
// the steps. The NodeClient factory is injectable so tests can point it at a real node elsewhere.
import type { ResolvedSpec } from '../../api/types.js';
import { PUBLISHED_IMAGE_REPOSITORY } from '../../api/defaults.js';
import { createHttpNodeClient, type NodeClient, type NodeClientTls } from '../../nodeclient/index.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { ReconcileContext } from '../framework/controller.js';
import type { KubeApi } from '../framework/kube.js';
import type { Metrics } from '../framework/metrics.js';
import { createDomainMetrics, type DomainMetrics } from './metrics.js';
import type { ObservedStatus } from './observed-status.js';
import type { ValidatedMaster } from './steps/validate.js';

/** Operator settings the controller reads (a subset of OperatorConfig). */
export interface AnyLogMasterSettings {
  readonly defaultNodeImage: string;
  readonly defaultLedgerImage: string;
  readonly ledgerAddressing: 'service' | 'pod-ip';
  readonly cleanupDeadlineMs: number;
  readonly maxConcurrentReconciles?: number;
  /** The operator's namespace and pod labels, for the node NetworkPolicy's REST rule. */
  readonly podNamespace?: string;
  readonly operatorPodLabels?: Readonly<Record<string, string>>;
}

/** A client for one node; `tls` (REST TLS on) switches it to HTTPS with the client certificate. */
export type NodeClientFactory = (
  host: string,
  port: number,
  logger: Logger,
  tls?: NodeClientTls,
) => NodeClient;

export interface AnyLogMasterDeps {
  readonly config: AnyLogMasterSettings;
  readonly metrics: Metrics;
  readonly kube?: KubeApi;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Version label on children and the fallback node image tag. */
  readonly operatorVersion?: string;
  readonly nodeClient?: NodeClientFactory;
  readonly random?: () => number;
}

export const DEFAULT_OPERATOR_VERSION = '0.2.0';

/** Dependencies after defaults, shared by every pass. */
export interface ResolvedDeps {
  readonly settings: AnyLogMasterSettings;
  readonly operatorVersion: string;
  readonly nodeImage: string;
  readonly nodeClient: NodeClientFactory;
  readonly domainMetrics: DomainMetrics;
  readonly random: () => number;
  /** In-memory progress-deadline hints: key → generation and since when it is reconciling. */
  readonly reconcilingSince: Map<string, { generation: number; sinceMs: number }>;
}

export function resolveDeps(deps: AnyLogMasterDeps): ResolvedDeps {
  const operatorVersion = deps.operatorVersion ?? DEFAULT_OPERATOR_VERSION;
  const clock = deps.clock;
  return {
    settings: deps.config,
    operatorVersion,
    nodeImage:
      deps.config.defaultNodeImage === ''
        ? `${PUBLISHED_IMAGE_REPOSITORY}:${operatorVersion}`
        : deps.config.defaultNodeImage,
    nodeClient:
      deps.nodeClient ??
      ((host, port, logger, tls) =>
        createHttpNodeClient({ host, port, logger, ...(tls === undefined ? {} : { tls }) })),
    domainMetrics: createDomainMetrics(deps.metrics, () => clock?.now() ?? Date.now()),
    random: deps.random ?? Math.random,
    reconcilingSince: new Map(),
  };
}

/** One pass: the framework context, the validated CR, its resolved spec and its parsed stored status. */
export interface PassEnv {
  readonly ctx: ReconcileContext;
  readonly cr: ValidatedMaster;
  readonly spec: ResolvedSpec;
  readonly status: ObservedStatus;
  readonly deps: ResolvedDeps;
  /**
   * Apply every child even when the cache already matches: set while a generation is in flight, so a
   * field removed from the spec is removed from the children too (a subset check cannot see removals).
   */
  readonly forceApply: boolean;
}

export const FIELD_MANAGER = 'anylog-operator';
