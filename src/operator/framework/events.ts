// Event recorder on events.k8s.io/v1. A repeat of the same object and reason
// within 10 minutes bumps the existing Event's series instead of creating a new one, and emission is
// rate limited per object (token bucket, burst 25, one token per 5 min, as client-go's spam filter).
// EventDeduper is the pure decision; EventRecorder performs it and never throws into a handler.
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { KubeApi, KubeObject, ResourceType } from './kube.js';

export const EVENTS_V1: ResourceType = {
  group: 'events.k8s.io',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  namespaced: true,
};

export type EventType = 'Normal' | 'Warning';

export interface EventInput {
  readonly type: EventType;
  readonly reason: string;
  readonly note: string;
  /** What the controller did (events.k8s.io `action`); defaults to the reason. */
  readonly action?: string;
}

export interface EventSink {
  /** Records an Event about `regarding`; failures are logged, never thrown. */
  emit(regarding: KubeObject, event: EventInput): Promise<void>;
}

export type DedupDecision =
  | { readonly action: 'create' }
  | { readonly action: 'series'; readonly name: string; readonly count: number }
  | { readonly action: 'drop' };

interface SeenEvent {
  name: string | undefined;
  firstAt: number;
  count: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface DeduperOptions {
  readonly windowMs?: number;
  readonly burst?: number;
  readonly refillEveryMs?: number;
  /** Bound on remembered (object, reason) pairs; the oldest are forgotten first. */
  readonly maxEntries?: number;
}

/** Pure dedup and rate-limit state; `now` is passed in (ms). */
export class EventDeduper {
  readonly #seen = new Map<string, SeenEvent>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #window: number;
  readonly #burst: number;
  readonly #refill: number;
  readonly #max: number;

  constructor(options: DeduperOptions = {}) {
    this.#window = options.windowMs ?? 600_000;
    this.#burst = options.burst ?? 25;
    this.#refill = options.refillEveryMs ?? 300_000;
    this.#max = options.maxEntries ?? 4096;
  }

  decide(objectUid: string, reason: string, type: EventType, nowMs: number): DedupDecision {
    const key = `${objectUid}\u0000${type}\u0000${reason}`;
    const seen = this.#seen.get(key);
    if (seen !== undefined && nowMs - seen.firstAt < this.#window) {
      seen.count += 1;
      return seen.name === undefined
        ? { action: 'drop' }
        : { action: 'series', name: seen.name, count: seen.count };
    }
    if (!this.#take(objectUid, nowMs)) return { action: 'drop' };
    this.#seen.delete(key);
    this.#seen.set(key, { name: undefined, firstAt: nowMs, count: 1 });
    this.#trim();
    return { action: 'create' };
  }

  /** Remembers the name of the Event created for (uid, type, reason). */
  created(objectUid: string, reason: string, type: EventType, name: string): void {
    const seen = this.#seen.get(`${objectUid}\u0000${type}\u0000${reason}`);
    if (seen !== undefined) seen.name = name;
  }

  /** Forgets a failed creation so the next emission creates again. */
  failed(objectUid: string, reason: string, type: EventType): void {
    this.#seen.delete(`${objectUid}\u0000${type}\u0000${reason}`);
  }

  #take(uid: string, nowMs: number): boolean {
    const bucket = this.#buckets.get(uid) ?? { tokens: this.#burst, at: nowMs };
    const refilled = Math.min(this.#burst, bucket.tokens + (nowMs - bucket.at) / this.#refill);
    this.#buckets.set(uid, { tokens: refilled, at: nowMs });
    if (refilled < 1) return false;
    this.#buckets.set(uid, { tokens: refilled - 1, at: nowMs });
    return true;
  }

  #trim(): void {
    while (this.#seen.size > this.#max) {
      const oldest = this.#seen.keys().next();
      if (oldest.done === true) break;
      this.#seen.delete(oldest.value);
    }
    while (this.#buckets.size > this.#max) {
      const oldest = this.#buckets.keys().next();
      if (oldest.done === true) break;
      this.#buckets.delete(oldest.value);
    }
  }
}

/** MicroTime as events.k8s.io expects: RFC 3339 with microseconds. */
export function microTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface EventRecorderOptions {
  readonly kube: KubeApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly fieldManager: string;
  readonly deduper?: EventDeduper;
}

export class EventRecorder implements EventSink {
  readonly #o: EventRecorderOptions;
  readonly #dedup: EventDeduper;

  constructor(options: EventRecorderOptions) {
    this.#o = options;
    this.#dedup = options.deduper ?? new EventDeduper();
  }

  async emit(regarding: KubeObject, event: EventInput): Promise<void> {
    const meta = regarding.metadata;
    const uid = meta.uid ?? `${meta.namespace ?? ''}/${meta.name}`;
    const now = this.#o.clock.now();
    const decision = this.#dedup.decide(uid, event.reason, event.type, now);
    try {
      if (decision.action === 'create') {
        const created = await this.#o.kube.create(EVENTS_V1, this.#body(regarding, event, now), {
          fieldManager: this.#o.fieldManager,
        });
        this.#dedup.created(uid, event.reason, event.type, created.metadata.name);
      } else if (decision.action === 'series') {
        const series = { count: decision.count, lastObservedTime: microTime(now) };
        await this.#o.kube.mergePatch(
          EVENTS_V1,
          { namespace: meta.namespace ?? 'default', name: decision.name },
          { series },
          { fieldManager: this.#o.fieldManager },
        );
      }
    } catch (err) {
      if (decision.action === 'create') this.#dedup.failed(uid, event.reason, event.type);
      this.#o.logger.warn({ err, reason: event.reason, object: meta.name }, 'could not record event');
    }
  }

  #body(regarding: KubeObject, event: EventInput, now: number): KubeObject {
    const meta = regarding.metadata;
    const namespace = meta.namespace ?? 'default';
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: {
        name: `${meta.name}.${now.toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`,
        namespace,
      },
      eventTime: microTime(now),
      reportingController: this.#o.reportingController,
      reportingInstance: this.#o.reportingInstance,
      action: event.action ?? event.reason,
      reason: event.reason,
      type: event.type,
      note: event.note.slice(0, 1024),
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: meta.name,
        namespace,
        ...(meta.uid === undefined ? {} : { uid: meta.uid }),
        ...(meta.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
      },
    };
  }
}
