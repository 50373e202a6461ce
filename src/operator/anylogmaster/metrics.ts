// The anylog_* domain metrics, registered through the framework's small metrics API
// (prom-client stays in framework/metrics.ts, rule D7): process up per required row, policy operations,
// ledger readiness, and the age of the last successful node probe (computed at scrape time).
import { PROCESS_ROW_NAMES } from '../../contract/processes.js';
import { LEDGER_MODES } from '../../api/schema-status.js';
import type { CounterMetric, GaugeMetric, Metrics } from '../framework/metrics.js';

export interface DomainMetrics {
  readonly processUp: GaugeMetric;
  readonly policyOperations: CounterMetric;
  readonly ledgerReady: GaugeMetric;
  /** Records a successful probe of the node of `namespace/name`. */
  probed(namespace: string, name: string): void;
  /** Drops every series of a deleted object (process up, ledger ready, probe age, backup). */
  forget(namespace: string, name: string): void;
  /** The backup state of `namespace/name`: last success (RFC 3339) and whether BackupHealthy is True. */
  backupObserved(namespace: string, name: string, lastSuccess: string | undefined, healthy: boolean): void;
  /** Drops the backup series of an object without backups. */
  backupForget(namespace: string, name: string): void;
}

const KNOWN_PROCESSES = new Set<string>(PROCESS_ROW_NAMES);

/** Only the node's fixed row names become label values (bounded cardinality). */
export function isKnownProcess(name: string): boolean {
  return KNOWN_PROCESSES.has(name);
}

export function createDomainMetrics(metrics: Metrics, now: () => number): DomainMetrics {
  const probes = new Map<string, number>();
  const processUp = metrics.gauge({
    name: 'anylog_node_process_up',
    help: 'Whether a node process reports Running (1) or not (0)',
    labelNames: ['namespace', 'name', 'process'],
  });
  const ledgerReady = metrics.gauge({
    name: 'anylog_ledger_ready',
    help: 'Whether the ledger of an AnyLogMaster is ready (1) or not (0)',
    labelNames: ['namespace', 'name', 'mode'],
  });
  const probeAge = metrics.gauge({
    name: 'anylog_node_probe_age_seconds',
    help: 'Seconds since the operator last reached the node REST API',
    labelNames: ['namespace', 'name'],
    collect: (g) => {
      for (const [key, at] of probes) {
        const [namespace = '', name = ''] = key.split('/');
        g.set({ namespace, name }, Math.max(0, (now() - at) / 1000));
      }
    },
  });
  const policyOperations = metrics.counter({
    name: 'anylog_policy_operations_total',
    help: 'Master policy operations by operation (insert, drop, verify) and result',
    labelNames: ['operation', 'result'],
  });
  const backupLastSuccess = metrics.gauge({
    name: 'anylog_backup_last_success_timestamp_seconds',
    help: 'Unix time of the last successful ledger backup of an AnyLogMaster',
    labelNames: ['namespace', 'name'],
  });
  const backupHealthy = metrics.gauge({
    name: 'anylog_backup_healthy',
    help: 'Whether the ledger backup of an AnyLogMaster is healthy (1) or failed or stale (0)',
    labelNames: ['namespace', 'name'],
  });
  return {
    processUp,
    policyOperations,
    ledgerReady,
    probed: (namespace, name) => {
      probes.set(`${namespace}/${name}`, now());
    },
    forget: (namespace, name) => {
      probes.delete(`${namespace}/${name}`);
      // A series once scraped stays in the gauge until removed: collect only sets the probed objects.
      probeAge.remove({ namespace, name });
      for (const process of PROCESS_ROW_NAMES) processUp.remove({ namespace, name, process });
      for (const mode of LEDGER_MODES) ledgerReady.remove({ namespace, name, mode });
      backupLastSuccess.remove({ namespace, name });
      backupHealthy.remove({ namespace, name });
    },
    backupObserved: (namespace, name, lastSuccess, healthy) => {
      const at = lastSuccess === undefined ? Number.NaN : Date.parse(lastSuccess);
      if (!Number.isNaN(at)) backupLastSuccess.set({ namespace, name }, at / 1000);
      backupHealthy.set({ namespace, name }, healthy ? 1 : 0);
    },
    backupForget: (namespace, name) => {
      backupLastSuccess.remove({ namespace, name });
      backupHealthy.remove({ namespace, name });
    },
  };
}
