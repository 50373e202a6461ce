// Reflector: one per (resource, namespace). Paginated LIST, then WATCH from the list's
// resourceVersion with bookmarks and a randomised server timeout; 410 relists and synthesises the
// deletes it missed; every failure restarts under jittered backoff (1 s → 30 s); an inactivity
// watchdog aborts silent streams. Keeps the cache (watch events never roll it back; the operator's own
// status writes are written back) and tells listeners about deltas.
import { backoffDelay } from '../../common/backoff.js';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { ObjectCache, type CacheDelta } from './cache.js';
import {
  isGone,
  isUnauthorized,
  type KubeApi,
  type KubeObject,
  type ResourceType,
  type WatchEnd,
  type WatchEvent,
} from './kube.js';
import type { Metrics } from './metrics.js';

export interface ReflectorOptions {
  readonly kube: KubeApi;
  readonly type: ResourceType;
  /** Namespace to list and watch; undefined for all namespaces (or cluster-scoped types). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly random?: () => number;
  readonly pageSize?: number;
  /** Server-side watch timeout range in seconds (default 300–600). */
  readonly watchTimeoutSeconds?: readonly [number, number];
  /** Abort a watch that shows no sign of life for this long (default 120 s). */
  readonly inactivityMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

export type DeltaListener = (delta: CacheDelta) => void;

const QUICK_END_MS = 1000;

/** Reads the flag through a call so control-flow narrowing does not assume it is unchanged. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

export class Reflector {
  readonly cache = new ObjectCache();
  readonly #o: ReflectorOptions;
  readonly #listeners: DeltaListener[] = [];
  readonly #random: () => number;
  readonly #log: Logger;
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  #lastActivity: number;
  #resourceVersion: string | undefined;
  #attempt = 0;
  #lastError: Error | undefined;

  constructor(options: ReflectorOptions) {
    this.#o = options;
    this.#random = options.random ?? Math.random;
    this.#lastActivity = options.clock.monotonic();
    this.#log = options.logger.child({ resource: this.resourceLabel, namespace: options.namespace ?? '' });
  }

  /** `plural` or `plural.group`, as used in metric labels and logs. */
  get resourceLabel(): string {
    const t = this.#o.type;
    return t.group === '' ? t.plural : `${t.plural}.${t.group}`;
  }

  get namespace(): string | undefined {
    return this.#o.namespace;
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** Milliseconds since the last event, bookmark, list or (re)connect. */
  lastEventAge(): number {
    return this.#o.clock.monotonic() - this.#lastActivity;
  }

  /** Listeners only enqueue work; they are called synchronously for every cache delta. */
  addListener(listener: DeltaListener): void {
    this.#listeners.push(listener);
  }

  /** Resolves after the first complete LIST; rejects when `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted while waiting for sync'));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.#syncWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** Runs until `signal` aborts. Never rejects: every failure is logged, counted and retried. */
  async run(signal: AbortSignal): Promise<void> {
    const unregister = this.#o.metrics.addWatchProbe({
      labels: { resource: this.resourceLabel, namespace: this.#o.namespace ?? '' },
      lastEventAgeSeconds: () => this.lastEventAge() / 1000,
    });
    try {
      while (!signal.aborted) {
        try {
          await this.#cycle(signal);
        } catch (err) {
          if (isAborted(signal)) break;
          await this.#afterFailure(err, signal);
        }
      }
    } finally {
      unregister();
    }
  }

  async #cycle(signal: AbortSignal): Promise<void> {
    if (this.#resourceVersion === undefined) {
      this.#resourceVersion = await this.#listAll(signal);
      this.#markSynced();
    }
    const started = this.#o.clock.monotonic();
    const end = await this.#watchOnce(this.#resourceVersion, signal);
    if (signal.aborted) return;
    if (end === 'stalled') {
      this.#restarted('watch stalled: no event for the inactivity limit; reconnecting');
      return;
    }
    const quick = end === 'closed' && this.#o.clock.monotonic() - started < QUICK_END_MS;
    if (!quick) {
      this.#attempt = 0;
      return;
    }
    // A stream the server closes at once would otherwise reconnect in a tight loop.
    await this.#o.clock.sleep(this.#nextDelay(), signal);
  }

  async #afterFailure(err: unknown, signal: AbortSignal): Promise<void> {
    this.#lastError = err instanceof Error ? err : new Error(String(err));
    if (isGone(err)) {
      this.#resourceVersion = undefined;
      this.#restarted('resourceVersion expired (410); relisting');
    } else if (isUnauthorized(err)) {
      this.#o.metrics.framework.watchRestarts.inc(this.#labels());
      this.#log.error({ err }, 'watch refused (401/403): check credentials and RBAC; retrying with backoff');
    } else {
      this.#o.metrics.framework.watchRestarts.inc(this.#labels());
      this.#log.warn({ err }, 'list/watch failed; retrying with backoff');
    }
    const delay = this.#nextDelay();
    try {
      await this.#o.clock.sleep(delay, signal);
    } catch {
      // aborted during backoff: run() sees the signal and stops
    }
  }

  #labels(): { resource: string; namespace: string } {
    return { resource: this.resourceLabel, namespace: this.#o.namespace ?? '' };
  }

  #restarted(message: string): void {
    this.#o.metrics.framework.watchRestarts.inc(this.#labels());
    this.#log.info(message);
  }

  #nextDelay(): number {
    const b = this.#o.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    const delay = backoffDelay(this.#attempt, { ...b, jitter: 0.2, random: this.#random });
    this.#attempt += 1;
    return delay;
  }

  #touch(): void {
    this.#lastActivity = this.#o.clock.monotonic();
  }

  #markSynced(): void {
    this.#touch();
    if (this.#synced) return;
    this.#synced = true;
    this.#log.debug({ objects: this.cache.size }, 'cache synced');
    for (const w of this.#syncWaiters.splice(0)) w();
  }

  async #listAll(signal: AbortSignal): Promise<string> {
    const items = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.#o.kube.list(this.#o.type, {
        ...(this.#o.namespace === undefined ? {} : { namespace: this.#o.namespace }),
        ...(this.#o.labelSelector === undefined ? {} : { labelSelector: this.#o.labelSelector }),
        ...(continueToken === undefined ? {} : { continueToken }),
        limit: this.#o.pageSize ?? 500,
        signal,
      });
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      continueToken = page.continueToken;
    } while (continueToken !== undefined);
    this.#emit(this.cache.replace(items));
    return resourceVersion;
  }

  #timeoutSeconds(): number {
    const [min, max] = this.#o.watchTimeoutSeconds ?? [300, 600];
    return Math.floor(min + this.#random() * (max - min));
  }

  async #watchOnce(resourceVersion: string, signal: AbortSignal): Promise<WatchEnd | 'stalled'> {
    const inner = new AbortController();
    const onOuterAbort = (): void => {
      inner.abort();
    };
    signal.addEventListener('abort', onOuterAbort, { once: true });
    const state = { stalled: false };
    let timer: TimerHandle | undefined;
    const limit = this.#o.inactivityMs ?? 120_000;
    const arm = (): void => {
      timer = this.#o.clock.setTimer(Math.max(1000, limit / 4), () => {
        if (this.lastEventAge() > limit) {
          state.stalled = true;
          inner.abort();
        } else arm();
      });
    };
    arm();
    try {
      const end = await this.#o.kube.watch(
        this.#o.type,
        {
          ...(this.#o.namespace === undefined ? {} : { namespace: this.#o.namespace }),
          ...(this.#o.labelSelector === undefined ? {} : { labelSelector: this.#o.labelSelector }),
          resourceVersion,
          timeoutSeconds: this.#timeoutSeconds(),
          signal: inner.signal,
          onOpen: () => {
            this.#touch();
          },
        },
        (event) => {
          this.#onEvent(event);
        },
      );
      return state.stalled ? 'stalled' : end;
    } finally {
      timer?.cancel();
      signal.removeEventListener('abort', onOuterAbort);
    }
  }

  /**
   * Takes the object a status write of this operator returned (ObjectCache.writeBack: same uid, newer
   * resourceVersion only) so the next pass reads it before the watch delivers it. Listeners get the
   * delta as if the watch had delivered it (a status-only change enqueues no primary key); the watch
   * event itself then carries no newer version and changes nothing. True when the cache changed.
   */
  writeBack(object: KubeObject): boolean {
    const delta = this.cache.writeBack(object);
    if (delta === undefined) return false;
    this.#log.debug(
      { name: object.metadata.name, resourceVersion: object.metadata.resourceVersion },
      'cache updated from a status write',
    );
    this.#emit([delta]);
    return true;
  }

  #onEvent(event: WatchEvent): void {
    this.#touch();
    const rv = event.object.metadata.resourceVersion;
    if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const delta =
      event.type === 'DELETED' ? this.cache.remove(event.object) : this.cache.upsert(event.object);
    if (delta !== undefined) this.#emit([delta]);
  }

  #emit(deltas: readonly CacheDelta[]): void {
    for (const delta of deltas) {
      for (const listener of this.#listeners) {
        try {
          listener(delta);
        } catch (err) {
          this.#log.error({ err }, 'delta listener threw (listeners must only enqueue)');
        }
      }
    }
  }
}
