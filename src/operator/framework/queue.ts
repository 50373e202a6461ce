// Keyed, coalescing work queue with controller-runtime semantics: a dirty set
// merges repeated adds, a key is never handed to two workers at once (an add during processing
// re-queues it after done()), delayed adds live in memory, drain() stops intake and waits for
// in-flight keys. Time comes from the injected Clock. No I/O.
import type { Clock, TimerHandle } from '../../common/clock.js';

interface Waiter {
  readonly resolve: (key: string | undefined) => void;
}

interface Delayed {
  readonly dueAt: number;
  readonly timer: TimerHandle;
}

export interface QueueHooks {
  /** Called once per accepted add (workqueue_adds_total). */
  onAdd?(): void;
  /** Seconds a key waited between add and get (workqueue_queue_duration_seconds). */
  onDequeue?(waitedSeconds: number): void;
  /** Seconds a key was processed (workqueue_work_duration_seconds). */
  onDone?(workedSeconds: number): void;
}

export class WorkQueue {
  readonly #clock: Clock;
  readonly #hooks: QueueHooks;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Map<string, number>();
  readonly #addedAt = new Map<string, number>();
  readonly #delayed = new Map<string, Delayed>();
  readonly #waiters: Waiter[] = [];
  #shuttingDown = false;
  #drainWaiters: (() => void)[] = [];

  constructor(clock: Clock, hooks: QueueHooks = {}) {
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Keys waiting to be processed (not counting delayed or in-flight keys). */
  get length(): number {
    return this.#queue.length;
  }

  get processingCount(): number {
    return this.#processing.size;
  }

  get delayedCount(): number {
    return this.#delayed.size;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  isProcessing(key: string): boolean {
    return this.#processing.has(key);
  }

  /** Queue `key` now; a key already waiting is not queued twice. */
  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#hooks.onAdd?.();
    this.#dirty.add(key);
    this.#addedAt.set(key, this.#clock.monotonic());
    if (this.#processing.has(key)) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      this.#take(key);
      waiter.resolve(key);
      return;
    }
    this.#queue.push(key);
  }

  /** Queue `key` after `delayMs`; an earlier pending delayed add for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const dueAt = this.#clock.monotonic() + delayMs;
    const existing = this.#delayed.get(key);
    if (existing !== undefined) {
      if (existing.dueAt <= dueAt) return;
      existing.timer.cancel();
    }
    const timer = this.#clock.setTimer(delayMs, () => {
      this.#delayed.delete(key);
      this.add(key);
    });
    this.#delayed.set(key, { dueAt, timer });
  }

  /** Drop a pending delayed add (the object is gone). */
  forgetDelayed(key: string): void {
    this.#delayed.get(key)?.timer.cancel();
    this.#delayed.delete(key);
  }

  /** Next key to process; undefined once the queue shuts down. Call done(key) when finished. */
  get(): Promise<string | undefined> {
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#take(key);
      return Promise.resolve(key);
    }
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiters.push({ resolve });
    });
  }

  /** Marks `key` processed; if it was added meanwhile it goes back into the queue. */
  done(key: string): void {
    const started = this.#processing.get(key);
    if (started === undefined) return;
    this.#processing.delete(key);
    this.#hooks.onDone?.((this.#clock.monotonic() - started) / 1000);
    if (this.#dirty.has(key) && !this.#shuttingDown) {
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) {
        this.#take(key);
        waiter.resolve(key);
      } else {
        this.#queue.push(key);
      }
    }
    if (this.#processing.size === 0) this.#notifyDrained();
  }

  /** Seconds of work in flight, summed and longest (workqueue_unfinished_work / longest_running). */
  inFlightSeconds(): { readonly total: number; readonly longest: number } {
    const now = this.#clock.monotonic();
    let total = 0;
    let longest = 0;
    for (const started of this.#processing.values()) {
      const s = (now - started) / 1000;
      total += s;
      longest = Math.max(longest, s);
    }
    return { total, longest };
  }

  /** Stop intake: pending and delayed keys are dropped, waiting workers get undefined. */
  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    for (const d of this.#delayed.values()) d.timer.cancel();
    this.#delayed.clear();
    this.#queue.length = 0;
    for (const w of this.#waiters.splice(0)) w.resolve(undefined);
  }

  /** shutDown() and wait until every in-flight key is done. */
  drain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drainWaiters.push(resolve);
    });
  }

  #take(key: string): void {
    this.#dirty.delete(key);
    const now = this.#clock.monotonic();
    this.#processing.set(key, now);
    const added = this.#addedAt.get(key);
    this.#addedAt.delete(key);
    if (added !== undefined) this.#hooks.onDequeue?.((now - added) / 1000);
  }

  #notifyDrained(): void {
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }
}
