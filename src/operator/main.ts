// Composition root of the operator: settings → logger → Kubernetes client → framework (metrics,
// events, leader election, manager, health and metrics endpoints) → controllers → run. Signals are
// handled here; the exit code goes back to src/bin, the only place that exits the process.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { realClock, type Clock } from '../common/clock.js';
import { readProcessEnv, type Env } from '../common/env.js';
import { ConfigError, toError } from '../common/errors.js';
import { createLogger, type Logger } from '../common/logger.js';
import { registerAnyLogMasterController } from './anylogmaster/controller.js';
import { loadOperatorConfig, type OperatorConfig } from './config.js';
import { EventRecorder } from './framework/events.js';
import {
  LoopLagMonitor,
  livenessCheck,
  checkRoute,
  parseBindAddress,
  serveRoutes,
  type HttpEndpoint,
} from './framework/health.js';
import { createKubeClient } from './framework/kube-client.js';
import type { KubeApi } from './framework/kube.js';
import { LeaderElector } from './framework/leader-election.js';
import { Manager } from './framework/manager.js';
import { Metrics } from './framework/metrics.js';

/** Fixed field managers (docs/adr/0002). */
export const FIELD_MANAGERS = Object.freeze({
  apply: 'anylog-operator',
  status: 'anylog-operator-status',
  finalizer: 'anylog-operator-finalizer',
});

export const LEASE_NAME = 'anylog-operator-leader';
export const REPORTING_CONTROLLER = 'anylog.co/anylog-operator';
const LOOP_LAG_LIMIT_MS = 5000;

/** What controllers get from the composition root besides the manager. */
export interface ControllerDeps {
  readonly config: OperatorConfig;
  readonly kube: KubeApi;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface RunOptions {
  readonly env?: Env;
  readonly clock?: Clock;
  /** Resolves (or aborts) to stop the operator instead of SIGTERM/SIGINT (tests). */
  readonly signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------------
// CONTROLLER REGISTRATION: the single place where controllers are registered with the manager.
// ---------------------------------------------------------------------------------------------------
function registerControllers(manager: Manager, deps: ControllerDeps): void {
  registerAnyLogMasterController(manager, deps);
}

/** `anylog-operator run`: returns the process exit code. */
export async function runOperator(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write(`anylog-operator run: unexpected arguments: ${argv.join(' ')}\n`);
    return 2;
  }
  let config: OperatorConfig;
  const env = options.env ?? readProcessEnv();
  try {
    config = loadOperatorConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel, name: 'anylog-operator' });
  try {
    return await runWithConfig(config, logger, { ...options, env });
  } catch (err) {
    logger.fatal({ err: toError(err) }, 'operator failed');
    return 1;
  } finally {
    logger.flush();
  }
}

interface Signals {
  readonly signal: AbortSignal;
  /** Resolves on a second signal: exit at once. */
  readonly forced: Promise<'forced'>;
  dispose(): void;
}

function installSignals(logger: Logger, external: AbortSignal | undefined): Signals {
  const stop = new AbortController();
  let force: (v: 'forced') => void = () => undefined;
  const forced = new Promise<'forced'>((resolve) => {
    force = resolve;
  });
  const onSignal = (name: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      logger.warn({ signal: name }, 'second signal: exiting at once');
      force('forced');
      return;
    }
    logger.info({ signal: name }, 'shutting down');
    stop.abort();
  };
  const onExternal = (): void => {
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  external?.addEventListener('abort', onExternal, { once: true });
  if (external?.aborted === true) stop.abort();
  return {
    signal: stop.signal,
    forced,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      external?.removeEventListener('abort', onExternal);
    },
  };
}

function buildManager(
  config: OperatorConfig,
  logger: Logger,
  clock: Clock,
  env: Env | undefined,
): { manager: Manager; deps: ControllerDeps } {
  const metrics = new Metrics({ prefix: 'anylog' });
  const kube = createKubeClient({ metrics, logger, ...(env === undefined ? {} : { env }) });
  const instance = config.podName === '' ? hostname() : config.podName;
  const events = new EventRecorder({
    kube,
    clock,
    logger,
    reportingController: REPORTING_CONTROLLER,
    reportingInstance: instance,
    fieldManager: FIELD_MANAGERS.apply,
  });
  const leaderElector = config.leaderElection
    ? new LeaderElector({
        kube,
        clock,
        logger,
        metrics,
        namespace: config.podNamespace,
        name: LEASE_NAME,
        identity: `${instance}_${randomBytes(4).toString('hex')}`,
        fieldManager: FIELD_MANAGERS.apply,
      })
    : undefined;
  const manager = new Manager({
    kube,
    clock,
    logger,
    metrics,
    events,
    fieldManagers: FIELD_MANAGERS,
    namespaces: config.watchNamespaces,
    maxConcurrentReconciles: config.maxConcurrentReconciles,
    resyncPeriodMs: config.resyncPeriodMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    ...(leaderElector === undefined ? {} : { leaderElector }),
  });
  return { manager, deps: { config, kube, metrics, clock, logger } };
}

async function startEndpoints(
  config: OperatorConfig,
  manager: Manager,
  metrics: Metrics,
): Promise<HttpEndpoint[]> {
  const lag = new LoopLagMonitor();
  const endpoints: HttpEndpoint[] = [];
  const health = parseBindAddress(config.healthProbeBindAddress);
  if (health !== undefined) {
    endpoints.push(
      await serveRoutes(health, {
        '/livez': checkRoute(
          livenessCheck(
            () => lag.lagMs(),
            LOOP_LAG_LIMIT_MS,
            () => manager.liveness(),
          ),
        ),
        '/readyz': checkRoute(() => manager.readiness()),
      }),
    );
  }
  const metricsBind = parseBindAddress(config.metricsBindAddress);
  if (metricsBind !== undefined) {
    endpoints.push(
      await serveRoutes(metricsBind, {
        '/metrics': async () => ({
          status: 200,
          contentType: metrics.contentType,
          body: await metrics.text(),
        }),
      }),
    );
  }
  endpoints.push({
    port: 0,
    close: () => {
      lag.stop();
      return Promise.resolve();
    },
  });
  return endpoints;
}

async function runWithConfig(config: OperatorConfig, logger: Logger, options: RunOptions): Promise<number> {
  const clock = options.clock ?? realClock;
  const { manager, deps } = buildManager(config, logger, clock, options.env);
  registerControllers(manager, deps);
  const signals = installSignals(logger, options.signal);
  const endpoints = await startEndpoints(config, manager, deps.metrics);
  try {
    logger.info(
      { namespaces: config.watchNamespaces, leaderElection: config.leaderElection },
      'operator starting',
    );
    const result = await Promise.race([manager.run(signals.signal), signals.forced]);
    if (result === 'forced') return 1;
    if (result === 'leadership-lost') return 1;
    return 0;
  } finally {
    signals.dispose();
    await Promise.all(endpoints.map((e) => e.close()));
  }
}
