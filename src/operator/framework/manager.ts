// Manager: owns the shared informers, the controllers' queues and workers, leader election and the
// lifecycle. Caches run on every replica; only the leader runs workers,
// timers and the periodic resync. Shutdown: readiness off, stop dequeuing and timers, abort watches,
// drain in-flight passes up to the shutdown timeout, then release the Lease. Passes get a KubeApi whose
// status writes are written back into the informer caches (write-back.ts).
import { applyJitter } from '../../common/backoff.js';
import type { Clock, TimerHandle } from '../../common/clock.js';
import { toError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { CacheReader } from './cache.js';
import { Controller, ownedKeys, primaryKeys, type ControllerSpec } from './controller.js';
import type { EventSink } from './events.js';
import type { CheckResult } from './health.js';
import { Informer } from './informer.js';
import type { KubeApi, KubeObject, ResourceType } from './kube.js';
import type { LeaderElector } from './leader-election.js';
import type { Metrics } from './metrics.js';
import { runPass, type FieldManagers, type PassDeps } from './processing.js';
import { WorkQueue } from './queue.js';
import { RateLimiter } from './rate-limiter.js';
import { StatusWriteBackKube } from './write-back.js';

export interface ManagerOptions {
  readonly kube: KubeApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: EventSink;
  readonly fieldManagers: FieldManagers;
  /** Namespaces to watch; empty means all. */
  readonly namespaces: readonly string[];
  readonly maxConcurrentReconciles?: number;
  readonly resyncPeriodMs?: number;
  readonly shutdownTimeoutMs?: number;
  /** Absent: this replica always leads (LEADER_ELECTION=false). */
  readonly leaderElector?: LeaderElector;
  /** A watch without a sign of life for longer fails /livez (default 5 min). */
  readonly watchStallMs?: number;
  readonly random?: () => number;
}

export type RunResult = 'stopped' | 'leadership-lost';

interface Runtime {
  readonly controller: Controller;
  readonly queue: WorkQueue;
  readonly rateLimiter: RateLimiter;
  readonly primary: Informer;
}

function typeId(type: ResourceType, selector: string | undefined): string {
  return `${type.group}/${type.version}/${type.plural}?${selector ?? ''}`;
}

export class Manager {
  readonly #o: ManagerOptions;
  readonly #informers = new Map<string, Informer>();
  readonly #controllers: Controller[] = [];
  readonly #runtimes: Runtime[] = [];
  readonly #workers: Promise<void>[] = [];
  readonly #resyncTimers: TimerHandle[] = [];
  readonly #stop = new AbortController();
  readonly #passKube: KubeApi;
  #leading = false;
  #shuttingDown = false;
  #started = false;

  constructor(options: ManagerOptions) {
    this.#o = options;
    this.#passKube = new StatusWriteBackKube(options.kube, (type, object) => {
      this.#writeBack(type, object);
    });
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  /** Registers a controller; call reconcile/finalizer/timer on the result before run(). */
  controller(spec: ControllerSpec): Controller {
    if (this.#started) throw new TypeError('controllers must be registered before run()');
    const controller = new Controller(spec);
    this.#controllers.push(controller);
    this.informer(spec.type, spec.labelSelector);
    for (const o of spec.owns ?? []) this.informer(o.type, o.labelSelector);
    for (const w of spec.watches ?? []) this.informer(w.type, w.labelSelector);
    return controller;
  }

  /** The shared informer of a type (and selector), created on first use. */
  informer(type: ResourceType, labelSelector?: string): Informer {
    const id = typeId(type, labelSelector);
    let informer = this.#informers.get(id);
    if (informer === undefined) {
      informer = new Informer({
        kube: this.#o.kube,
        type,
        namespaces: this.#o.namespaces,
        clock: this.#o.clock,
        logger: this.#o.logger,
        metrics: this.#o.metrics,
        ...(labelSelector === undefined ? {} : { labelSelector }),
        ...(this.#o.random === undefined ? {} : { random: this.#o.random }),
      });
      this.#informers.set(id, informer);
    }
    return informer;
  }

  /**
   * /readyz: every cache synced and not shutting down. Independent of who leads, but not of whether this
   * replica may take part in the election at all.
   */
  readiness(): CheckResult {
    if (this.#shuttingDown) return { ok: false, reason: 'shutting down' };
    const election = this.#o.leaderElector?.health();
    if (election !== undefined && !election.ok) return election;
    const pending = [...this.#informers.values()].filter((i) => !i.hasSynced).map((i) => i.type.plural);
    return pending.length === 0
      ? { ok: true }
      : { ok: false, reason: `caches not synced: ${pending.join(', ')}` };
  }

  /** /livez part owned by the manager: no watch stalled for longer than the limit. */
  liveness(): CheckResult {
    const limit = this.#o.watchStallMs ?? 300_000;
    for (const informer of this.#informers.values()) {
      if (informer.maxLastEventAge() > limit)
        return { ok: false, reason: `watch of ${informer.type.plural} stalled` };
    }
    return { ok: true };
  }

  /** Runs until `signal` aborts ('stopped') or leadership is lost ('leadership-lost'). */
  async run(signal: AbortSignal): Promise<RunResult> {
    this.#started = true;
    this.#wire();
    const watches = new AbortController();
    const informerRuns = [...this.#informers.values()].map((i) => i.run(watches.signal));
    let result: RunResult = 'stopped';
    try {
      await Promise.all([...this.#informers.values()].map((i) => i.waitForSync(signal)));
      this.#o.logger.info({ informers: this.#informers.size }, 'caches synced');
      result = await this.#lead(signal);
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      await this.#shutdown(result, watches, informerRuns);
    }
    return result;
  }

  async #lead(signal: AbortSignal): Promise<RunResult> {
    const elector = this.#o.leaderElector;
    if (elector === undefined) {
      this.#startWorkers();
      await waitForAbort(signal);
      return 'stopped';
    }
    const end = await elector.run(signal, () => {
      this.#startWorkers();
    });
    return end === 'lost' ? 'leadership-lost' : 'stopped';
  }

  #wire(): void {
    for (const controller of this.#controllers) {
      const spec = controller.spec;
      const name = controller.name;
      const labels = { name, controller: name };
      const m = this.#o.metrics.framework;
      const queue = new WorkQueue(this.#o.clock, {
        onAdd: () => {
          m.workqueueAdds.inc(labels);
        },
        onDequeue: (s) => {
          m.workqueueQueueDuration.observe(labels, s);
        },
        onDone: (s) => {
          m.workqueueWorkDuration.observe(labels, s);
        },
      });
      this.#o.metrics.addQueueProbe({
        labels,
        depth: () => queue.length,
        unfinishedWorkSeconds: () => queue.inFlightSeconds().total,
        longestRunningProcessorSeconds: () => queue.inFlightSeconds().longest,
      });
      const rateLimiter = new RateLimiter({
        clock: this.#o.clock,
        ...(this.#o.random === undefined ? {} : { random: this.#o.random }),
      });
      const primary = this.informer(spec.type, spec.labelSelector);
      const enqueue = (keys: readonly string[]): void => {
        for (const key of keys) queue.add(key);
      };
      primary.addListener((d) => {
        enqueue(primaryKeys(d));
      });
      for (const o of spec.owns ?? []) {
        this.informer(o.type, o.labelSelector).addListener((d) => {
          enqueue(ownedKeys(d, spec.type));
        });
      }
      for (const w of spec.watches ?? []) {
        this.informer(w.type, w.labelSelector).addListener((d) => {
          enqueue(w.mapToKey(d.object));
        });
      }
      this.#runtimes.push({ controller, queue, rateLimiter, primary });
    }
  }

  #startWorkers(): void {
    this.#leading = true;
    for (const rt of this.#runtimes) {
      const workers = rt.controller.spec.maxConcurrentReconciles ?? this.#o.maxConcurrentReconciles ?? 4;
      this.#o.metrics.framework.maxConcurrentReconciles.set({ controller: rt.controller.name }, workers);
      for (const key of rt.primary.keys()) rt.queue.add(key);
      this.#scheduleResync(rt);
      const deps = this.#passDeps(rt);
      for (let i = 0; i < workers; i += 1) this.#workers.push(this.#worker(rt, deps));
    }
    this.#o.logger.info({ controllers: this.#runtimes.length }, 'workers started');
  }

  #passDeps(rt: Runtime): PassDeps {
    return {
      controller: rt.controller,
      primary: rt.primary,
      kube: this.#passKube,
      queue: rt.queue,
      rateLimiter: rt.rateLimiter,
      events: this.#o.events,
      logger: this.#o.logger,
      metrics: this.#o.metrics,
      clock: this.#o.clock,
      fieldManagers: this.#o.fieldManagers,
      stopSignal: this.#stop.signal,
      cacheOf: (type: ResourceType): CacheReader => this.#cacheOf(type),
      ...(this.#o.random === undefined ? {} : { random: this.#o.random }),
    };
  }

  #cacheOf(type: ResourceType): CacheReader {
    for (const informer of this.#informers.values()) {
      if (informer.type.group === type.group && informer.type.plural === type.plural) return informer;
    }
    throw new TypeError(`no informer registered for ${type.plural}`);
  }

  /** A status write's answer goes to every informer of its type; each keeps it only if newer. */
  #writeBack(type: ResourceType, object: KubeObject): void {
    for (const informer of this.#informers.values()) {
      if (informer.type.group !== type.group || informer.type.plural !== type.plural) continue;
      try {
        informer.writeBack(object);
      } catch (err) {
        this.#o.logger.error({ err: toError(err) }, 'status write-back into the cache failed');
      }
    }
  }

  async #worker(rt: Runtime, deps: PassDeps): Promise<void> {
    const labels = { controller: rt.controller.name };
    for (;;) {
      const key = await rt.queue.get();
      if (key === undefined) return;
      this.#o.metrics.framework.activeWorkers.inc(labels);
      try {
        await runPass(deps, key);
      } catch (err) {
        this.#o.logger.error({ err: toError(err), key }, 'unexpected failure outside a pass');
      } finally {
        this.#o.metrics.framework.activeWorkers.dec(labels);
        rt.queue.done(key);
      }
    }
  }

  #scheduleResync(rt: Runtime): void {
    const period = this.#o.resyncPeriodMs ?? 600_000;
    const arm = (): void => {
      const timer = this.#o.clock.setTimer(applyJitter(period, 0.1, this.#o.random), () => {
        if (this.#shuttingDown) return;
        for (const key of rt.primary.keys()) rt.queue.add(key);
        arm();
      });
      this.#resyncTimers.push(timer);
    };
    arm();
  }

  async #shutdown(result: RunResult, watches: AbortController, informerRuns: Promise<void>[]): Promise<void> {
    this.#shuttingDown = true;
    for (const timer of this.#resyncTimers.splice(0)) timer.cancel();
    for (const rt of this.#runtimes) rt.queue.shutDown();
    watches.abort();
    if (result === 'leadership-lost') this.#stop.abort(new Error('leadership lost'));
    const drained = Promise.all(this.#runtimes.map((rt) => rt.queue.drain()));
    const timeoutMs = this.#o.shutdownTimeoutMs ?? 20_000;
    const finished = await raceTimeout(drained, timeoutMs, this.#o.clock);
    if (!finished) {
      this.#o.logger.warn({ timeoutMs }, 'in-flight passes did not finish in time; aborting them');
      this.#stop.abort(new Error('shutdown timeout'));
    }
    // Bounded: a handler that ignores its AbortSignal must not hold the process.
    await raceTimeout(
      Promise.all([...this.#workers, ...informerRuns]),
      finished ? timeoutMs : 2000,
      this.#o.clock,
    );
    this.#leading = false;
    if (result === 'stopped') await this.#o.leaderElector?.release();
    this.#o.logger.info('manager stopped');
  }
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}

/** True when `work` settled within `ms`. */
async function raceTimeout(work: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  let handle: TimerHandle | undefined;
  const timeout = new Promise<false>((resolve) => {
    handle = clock.setTimer(ms, () => {
      resolve(false);
    });
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    handle?.cancel();
  }
}
