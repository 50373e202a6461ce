// Metrics registry of the operator (the only prom-client importer, rule D7): controller-runtime,
// workqueue, rest-client and leader-election metrics under their upstream names,
// plus a small typed API so a domain controller can register its own counters and gauges without
// importing prom-client.
import {
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
} from 'prom-client';
import { collectDefaultMetrics } from 'prom-client';

export type Labels = Readonly<Record<string, string>>;

export interface CounterMetric {
  inc(labels: Labels, value?: number): void;
}

export interface GaugeMetric {
  set(labels: Labels, value: number): void;
  inc(labels: Labels, value?: number): void;
  dec(labels: Labels, value?: number): void;
  remove(labels: Labels): void;
}

export interface HistogramMetric {
  observe(labels: Labels, value: number): void;
}

export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

export interface GaugeDefinition extends MetricDefinition {
  /** Called at scrape time, before the value is read (for ages and other derived values). */
  readonly collect?: (gauge: GaugeMetric) => void;
}

export interface HistogramDefinition extends MetricDefinition {
  readonly buckets?: readonly number[];
}

/** The framework's own metrics (labels). */
export interface FrameworkMetricSet {
  readonly reconcileTotal: CounterMetric;
  readonly reconcileErrors: CounterMetric;
  readonly terminalReconcileErrors: CounterMetric;
  readonly reconcilePanics: CounterMetric;
  readonly reconcileTimeouts: CounterMetric;
  readonly reconcileTime: HistogramMetric;
  readonly maxConcurrentReconciles: GaugeMetric;
  readonly activeWorkers: GaugeMetric;
  readonly workqueueDepth: GaugeMetric;
  readonly workqueueAdds: CounterMetric;
  readonly workqueueRetries: CounterMetric;
  readonly workqueueQueueDuration: HistogramMetric;
  readonly workqueueWorkDuration: HistogramMetric;
  readonly restClientRequests: CounterMetric;
  readonly restClientRequestDuration: HistogramMetric;
  readonly leaderElectionMasterStatus: GaugeMetric;
  readonly watchRestarts: CounterMetric;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function wrapGauge(gauge: PromGauge): GaugeMetric {
  return {
    set: (labels, value) => {
      gauge.set(labels, value);
    },
    inc: (labels, value = 1) => {
      gauge.inc(labels, value);
    },
    dec: (labels, value = 1) => {
      gauge.dec(labels, value);
    },
    remove: (labels) => {
      gauge.remove(labels);
    },
  };
}

/** What a work queue reports at scrape time. */
export interface QueueProbe {
  readonly labels: Labels;
  depth(): number;
  unfinishedWorkSeconds(): number;
  longestRunningProcessorSeconds(): number;
}

/** What a reflector reports at scrape time. */
export interface WatchProbe {
  readonly labels: Labels;
  lastEventAgeSeconds(): number;
}

/** One registry per process, created in main.ts (or per test) and passed down. */
export class Metrics {
  readonly framework: FrameworkMetricSet;
  readonly #registry = new Registry();
  readonly #prefix: string;
  readonly #queues = new Set<QueueProbe>();
  readonly #watches = new Set<WatchProbe>();

  /** `prefix` names the project-specific metrics the framework owns (`<prefix>_watch_*`). */
  constructor(options: { readonly prefix: string; readonly defaultMetrics?: boolean }) {
    this.#prefix = options.prefix;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.#registry });
    this.framework = this.#frameworkSet();
    this.#probeGauges();
  }

  /** Report a queue's depth and in-flight ages; returns the unregister function. */
  addQueueProbe(probe: QueueProbe): () => void {
    this.#queues.add(probe);
    return () => {
      this.#queues.delete(probe);
    };
  }

  /** Report a reflector's last-event age; returns the unregister function. */
  addWatchProbe(probe: WatchProbe): () => void {
    this.#watches.add(probe);
    return () => {
      this.#watches.delete(probe);
    };
  }

  #probeGauges(): void {
    const q = ['name', 'controller'];
    this.gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: 'How many seconds of work has been done that is in progress and has not been observed by work_duration',
      labelNames: q,
      collect: (g) => {
        for (const p of this.#queues) g.set(p.labels, p.unfinishedWorkSeconds());
      },
    });
    this.gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running',
      labelNames: q,
      collect: (g) => {
        for (const p of this.#queues) g.set(p.labels, p.longestRunningProcessorSeconds());
      },
    });
    this.gauge({
      name: this.prefixed('watch_last_event_age_seconds'),
      help: 'Seconds since a watch last showed a sign of life (event, bookmark, list or reconnect)',
      labelNames: ['resource', 'namespace'],
      collect: (g) => {
        for (const p of this.#watches) g.set(p.labels, p.lastEventAgeSeconds());
      },
    });
  }

  counter(def: MetricDefinition): CounterMetric {
    const counter = new PromCounter({
      name: def.name,
      help: def.help,
      labelNames: [...def.labelNames],
      registers: [this.#registry],
    });
    return {
      inc: (labels, value = 1) => {
        counter.inc(labels, value);
      },
    };
  }

  gauge(def: GaugeDefinition): GaugeMetric {
    const collect = def.collect;
    const holder: { wrapped?: GaugeMetric } = {};
    const gauge: PromGauge = new PromGauge({
      name: def.name,
      help: def.help,
      labelNames: [...def.labelNames],
      registers: [this.#registry],
      ...(collect === undefined
        ? {}
        : {
            collect: () => {
              if (holder.wrapped !== undefined) collect(holder.wrapped);
            },
          }),
    });
    const wrapped = wrapGauge(gauge);
    holder.wrapped = wrapped;
    return wrapped;
  }

  histogram(def: HistogramDefinition): HistogramMetric {
    const histogram = new PromHistogram({
      name: def.name,
      help: def.help,
      labelNames: [...def.labelNames],
      buckets: [...(def.buckets ?? DURATION_BUCKETS)],
      registers: [this.#registry],
    });
    return {
      observe: (labels, value) => {
        histogram.observe(labels, value);
      },
    };
  }

  /** A project-prefixed metric name (`<prefix>_<suffix>`). */
  prefixed(suffix: string): string {
    return `${this.#prefix}_${suffix}`;
  }

  /** Exposition text for /metrics. */
  async text(): Promise<string> {
    return this.#registry.metrics();
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /** Current value of one series (tests and the steady-state checks read counters through this). */
  async value(name: string, labels: Labels = {}): Promise<number> {
    const metric = this.#registry.getSingleMetric(name);
    if (metric === undefined) return 0;
    const data = await metric.get();
    let total = 0;
    for (const v of data.values) {
      const match = Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want);
      if (match && !('metricName' in v && typeof v.metricName === 'string' && v.metricName !== name)) {
        total += v.value;
      }
    }
    return total;
  }

  #frameworkSet(): FrameworkMetricSet {
    const c = ['controller'];
    const q = ['name', 'controller'];
    return {
      reconcileTotal: this.counter({
        name: 'controller_runtime_reconcile_total',
        help: 'Total number of reconciliations per controller',
        labelNames: ['controller', 'result'],
      }),
      reconcileErrors: this.counter({
        name: 'controller_runtime_reconcile_errors_total',
        help: 'Total number of reconciliation errors per controller',
        labelNames: c,
      }),
      terminalReconcileErrors: this.counter({
        name: 'controller_runtime_terminal_reconcile_errors_total',
        help: 'Total number of terminal reconciliation errors per controller',
        labelNames: c,
      }),
      reconcilePanics: this.counter({
        name: 'controller_runtime_reconcile_panics_total',
        help: 'Total number of reconciliation panics (programming errors) per controller',
        labelNames: c,
      }),
      reconcileTimeouts: this.counter({
        name: 'controller_runtime_reconcile_timeouts_total',
        help: 'Total number of reconciliations aborted by their timeout per controller',
        labelNames: c,
      }),
      reconcileTime: this.histogram({
        name: 'controller_runtime_reconcile_time_seconds',
        help: 'Length of time per reconciliation per controller',
        labelNames: c,
      }),
      maxConcurrentReconciles: this.gauge({
        name: 'controller_runtime_max_concurrent_reconciles',
        help: 'Maximum number of concurrent reconciles per controller',
        labelNames: c,
      }),
      activeWorkers: this.gauge({
        name: 'controller_runtime_active_workers',
        help: 'Number of currently used workers per controller',
        labelNames: c,
      }),
      workqueueDepth: this.gauge({
        name: 'workqueue_depth',
        help: 'Current depth of workqueue',
        labelNames: q,
        collect: (g) => {
          for (const p of this.#queues) g.set(p.labels, p.depth());
        },
      }),
      workqueueAdds: this.counter({
        name: 'workqueue_adds_total',
        help: 'Total number of adds handled by workqueue',
        labelNames: q,
      }),
      workqueueRetries: this.counter({
        name: 'workqueue_retries_total',
        help: 'Total number of retries handled by workqueue',
        labelNames: q,
      }),
      workqueueQueueDuration: this.histogram({
        name: 'workqueue_queue_duration_seconds',
        help: 'How long in seconds an item stays in workqueue before being requested',
        labelNames: q,
      }),
      workqueueWorkDuration: this.histogram({
        name: 'workqueue_work_duration_seconds',
        help: 'How long in seconds processing an item from workqueue takes',
        labelNames: q,
      }),
      restClientRequests: this.counter({
        name: 'rest_client_requests_total',
        help: 'Number of HTTP requests, partitioned by status code, method, and host',
        labelNames: ['code', 'method', 'host'],
      }),
      restClientRequestDuration: this.histogram({
        name: 'rest_client_request_duration_seconds',
        help: 'Request latency in seconds, broken down by verb and host',
        labelNames: ['verb', 'host'],
      }),
      leaderElectionMasterStatus: this.gauge({
        name: 'leader_election_master_status',
        help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
        labelNames: ['name'],
      }),
      watchRestarts: this.counter({
        name: this.prefixed('watch_restarts_total'),
        help: 'Watch restarts after an error, per resource and namespace',
        labelNames: ['resource', 'namespace'],
      }),
    };
  }
}
