// Controller registration: the primary resource, owned kinds (mapped to their
// controller owner), extra watches with mapToKey, and the reconcile, finalizer and timer handlers.
// Event routing lives here: callbacks only enqueue keys, and CR events whose only change is status,
// resourceVersion or managedFields are ignored so the operator's own status writes never re-trigger it.
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { CacheDelta, CacheReader } from './cache.js';
import type { EventInput } from './events.js';
import { objectKey, refOf, type KubeApi, type KubeObject, type ResourceType } from './kube.js';

/** Status the handler wants written; the framework writes it once, at the end of the pass, if changed. */
export interface StatusBuilder {
  set(status: Readonly<Record<string, unknown>>): void;
  /** The status set so far in this pass, or undefined. */
  get(): Readonly<Record<string, unknown>> | undefined;
}

/** Events about the object of the pass. */
export interface ContextEvents {
  emit(event: EventInput): Promise<void>;
}

export interface ReconcileContext {
  readonly key: string;
  readonly object: KubeObject;
  readonly kube: KubeApi;
  readonly status: StatusBuilder;
  readonly events: ContextEvents;
  readonly logger: Logger;
  /** Consecutive failures before this pass (0 on the first try). */
  readonly attempt: number;
  /** Fires on the pass timeout (60 s) or at shutdown. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** The informer cache of a registered resource type (primary, owned or watched). */
  cache(type: ResourceType): CacheReader;
}

export interface Outcome {
  readonly requeueAfterMs?: number;
}

export type ReconcileHandler = (ctx: ReconcileContext) => Promise<Outcome | undefined>;

export interface FinalizerSpec {
  /** Whether the object should carry the finalizer (e.g. deletionPolicy Delete). */
  readonly when: (object: KubeObject) => boolean;
  /** External cleanup; resolving without requeueAfterMs removes the finalizer. */
  readonly cleanup: ReconcileHandler;
}

export interface TimerSpec {
  readonly everyMs: number;
  readonly jitter?: number;
  readonly when?: (object: KubeObject) => boolean;
}

export interface OwnsSpec {
  readonly type: ResourceType;
  /** Owned kinds are watched by label selector only (memory). */
  readonly labelSelector?: string;
}

export interface WatchesSpec {
  readonly type: ResourceType;
  readonly labelSelector?: string;
  /** Keys (`namespace/name` of primary objects) to enqueue for a change of this object. */
  readonly mapToKey: (object: KubeObject) => readonly string[];
}

export interface ControllerSpec {
  readonly name: string;
  readonly type: ResourceType;
  readonly labelSelector?: string;
  readonly owns?: readonly OwnsSpec[];
  readonly watches?: readonly WatchesSpec[];
  readonly maxConcurrentReconciles?: number;
  readonly reconcileTimeoutMs?: number;
}

export interface NamedFinalizer extends FinalizerSpec {
  readonly name: string;
}

/** What a registered controller holds; the manager wires queues, informers and workers to it. */
export class Controller {
  readonly spec: ControllerSpec;
  #handler: ReconcileHandler | undefined;
  #finalizer: NamedFinalizer | undefined;
  #timer: TimerSpec | undefined;

  constructor(spec: ControllerSpec) {
    this.spec = spec;
  }

  get name(): string {
    return this.spec.name;
  }

  get handler(): ReconcileHandler | undefined {
    return this.#handler;
  }

  get finalizerSpec(): NamedFinalizer | undefined {
    return this.#finalizer;
  }

  get timerSpec(): TimerSpec | undefined {
    return this.#timer;
  }

  reconcile(handler: ReconcileHandler): this {
    this.#handler = handler;
    return this;
  }

  finalizer(name: string, spec: FinalizerSpec): this {
    this.#finalizer = { name, ...spec };
    return this;
  }

  /** Periodic pass after a successful one, only while `when` holds; it only enqueues the key. */
  timer(spec: TimerSpec): this {
    this.#timer = spec;
    return this;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * True when an update of a primary object matters: generation, labels, annotations, finalizers,
 * deletionTimestamp or owner references changed. Status-only and resourceVersion-only updates do not.
 */
export function isSignificantUpdate(old: KubeObject, next: KubeObject): boolean {
  const a = old.metadata;
  const b = next.metadata;
  if (a.generation === undefined || b.generation === undefined) {
    // Objects without generation tracking: anything but status counts.
    const { status: _s1, metadata: _m1, ...restA } = old;
    const { status: _s2, metadata: _m2, ...restB } = next;
    if (!sameJson(restA, restB)) return true;
  }
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    !sameJson(a.labels, b.labels) ||
    !sameJson(a.annotations, b.annotations) ||
    !sameJson(a.finalizers, b.finalizers) ||
    !sameJson(a.ownerReferences, b.ownerReferences)
  );
}

/** Keys of primary objects to enqueue for a delta of the primary resource. */
export function primaryKeys(delta: CacheDelta): readonly string[] {
  if (delta.type === 'updated' && !isSignificantUpdate(delta.old, delta.object)) return [];
  return [objectKey(refOf(delta.object))];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** `namespace/name` of the controller owner of `object` if it is of the primary type. */
export function controllerOwnerKey(object: KubeObject, primary: ResourceType): string | undefined {
  const owner = (object.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner === undefined) return undefined;
  if (owner.kind !== primary.kind || groupOf(owner.apiVersion) !== primary.group) return undefined;
  return objectKey({
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
    name: owner.name,
  });
}

/** Keys to enqueue for a delta of an owned resource (old and new owner on an update). */
export function ownedKeys(delta: CacheDelta, primary: ResourceType): readonly string[] {
  const keys = new Set<string>();
  const now = controllerOwnerKey(delta.object, primary);
  if (now !== undefined) keys.add(now);
  if (delta.type === 'updated') {
    const before = controllerOwnerKey(delta.old, primary);
    if (before !== undefined) keys.add(before);
  }
  return [...keys];
}
