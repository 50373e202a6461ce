// One reconcile pass for one key: read the latest object from the cache
// → deletion and finalizer handling → handler with its context → status written once if changed →
// outcome turned into a requeue (delay, backoff, or none) and metrics. Never throws: every error is
// logged once here, where it is handled. The status write's answer reaches the cache through the
// KubeApi the manager hands in (write-back.ts).
import { randomUUID } from 'node:crypto';
import { applyJitter } from '../../common/backoff.js';
import type { Clock } from '../../common/clock.js';
import { AppError, toError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { CacheReader } from './cache.js';
import type { Controller, Outcome, ReconcileContext, StatusBuilder } from './controller.js';
import { classifyError } from './errors.js';
import type { EventSink } from './events.js';
import { decideFinalizer, finalizerApplyBody, hasFinalizer, isDeleting } from './finalizers.js';
import { refOf, type KubeApi, type KubeObject, type ResourceType } from './kube.js';
import type { Metrics } from './metrics.js';
import type { WorkQueue } from './queue.js';
import type { RateLimiter } from './rate-limiter.js';
import { isNewerResourceVersion } from './resource-version.js';
import { prepareStatus } from './status.js';

export interface FieldManagers {
  /** Children (server-side apply, createIfAbsent, patches). */
  readonly apply: string;
  readonly status: string;
  readonly finalizer: string;
}

export interface PassDeps {
  readonly controller: Controller;
  readonly primary: CacheReader;
  readonly kube: KubeApi;
  readonly queue: WorkQueue;
  readonly rateLimiter: RateLimiter;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly fieldManagers: FieldManagers;
  /** Aborted at shutdown (after the drain timeout) or when leadership is lost. */
  readonly stopSignal: AbortSignal;
  readonly cacheOf: (type: ResourceType) => CacheReader;
  readonly random?: () => number;
}

export type PassResult = 'success' | 'error' | 'requeue' | 'requeue_after';

const DEFAULT_TIMEOUT_MS = 60_000;

/** The error a pass is aborted with when it exceeds its timeout. */
export class ReconcileTimeoutError extends AppError {
  constructor(ms: number) {
    super('ERR_INTERNAL', `reconcile pass exceeded its ${ms} ms timeout`, { retryable: true });
  }
}

class PassStatus implements StatusBuilder {
  #status: Readonly<Record<string, unknown>> | undefined;
  set(status: Readonly<Record<string, unknown>>): void {
    this.#status = status;
  }
  get(): Readonly<Record<string, unknown>> | undefined {
    return this.#status;
  }
}

/** Runs one pass for `key`; resolves with the result recorded in controller_runtime_reconcile_total. */
export async function runPass(deps: PassDeps, key: string): Promise<PassResult> {
  const name = deps.controller.name;
  const started = deps.clock.monotonic();
  const object = deps.primary.get(key);
  let result: PassResult;
  if (object === undefined) {
    deps.rateLimiter.forget(key);
    deps.queue.forgetDelayed(key);
    result = 'success';
  } else {
    result = await reconcileObject(deps, key, object);
  }
  deps.metrics.framework.reconcileTotal.inc({ controller: name, result });
  deps.metrics.framework.reconcileTime.observe(
    { controller: name },
    (deps.clock.monotonic() - started) / 1000,
  );
  return result;
}

interface PassState {
  readonly ctx: ReconcileContext;
  readonly status: PassStatus;
  readonly timedOut: () => boolean;
  readonly dispose: () => void;
}

function passState(deps: PassDeps, key: string, object: KubeObject): PassState {
  const timeoutMs = deps.controller.spec.reconcileTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = new AbortController();
  let timedOut = false;
  const timer = deps.clock.setTimer(timeoutMs, () => {
    timedOut = true;
    timeout.abort(new ReconcileTimeoutError(timeoutMs));
  });
  const meta = object.metadata;
  const logger = deps.logger.child({
    controller: deps.controller.name,
    namespace: meta.namespace ?? '',
    name: meta.name,
    generation: meta.generation ?? 0,
    reconcileID: randomUUID(),
  });
  const status = new PassStatus();
  const ctx: ReconcileContext = {
    key,
    object,
    kube: deps.kube,
    status,
    events: { emit: (event) => deps.events.emit(object, event) },
    logger,
    attempt: deps.rateLimiter.retries(key),
    signal: AbortSignal.any([deps.stopSignal, timeout.signal]),
    clock: deps.clock,
    cache: deps.cacheOf,
  };
  return {
    ctx,
    status,
    timedOut: () => timedOut,
    dispose: () => {
      timer.cancel();
    },
  };
}

async function reconcileObject(deps: PassDeps, key: string, object: KubeObject): Promise<PassResult> {
  const state = passState(deps, key, object);
  let outcome: Outcome | undefined;
  let error: unknown;
  let failed = false;
  try {
    outcome = await handle(deps, state.ctx);
  } catch (err) {
    failed = true;
    error = err;
  } finally {
    state.dispose();
  }
  try {
    await writeStatus(deps, latestOf(deps, key, object), state.status.get());
  } catch (err) {
    if (!failed) {
      failed = true;
      error = err;
    } else {
      state.ctx.logger.warn({ err }, 'status write failed after a failed pass');
    }
  }
  return failed ? onError(deps, state, error) : onSuccess(deps, key, object, outcome);
}

/** Deletion and finalizer handling, then the reconcile handler. */
async function handle(deps: PassDeps, ctx: ReconcileContext): Promise<Outcome | undefined> {
  const fin = deps.controller.finalizerSpec;
  const meta = ctx.object.metadata;
  if (isDeleting(meta)) {
    if (fin === undefined || !hasFinalizer(meta, fin.name)) return undefined;
    const outcome = await fin.cleanup(ctx);
    if (outcome?.requeueAfterMs !== undefined) return outcome;
    await setFinalizer(deps, ctx, fin.name, false);
    return undefined;
  }
  if (fin !== undefined) {
    const action = decideFinalizer(meta, fin.name, fin.when(ctx.object));
    if (action !== 'none') await setFinalizer(deps, ctx, fin.name, action === 'add');
  }
  const handler = deps.controller.handler;
  if (handler === undefined) return undefined;
  return handler(ctx);
}

async function setFinalizer(
  deps: PassDeps,
  ctx: ReconcileContext,
  name: string,
  present: boolean,
): Promise<void> {
  await deps.kube.apply(deps.controller.spec.type, finalizerApplyBody(ctx.object, name, present), {
    fieldManager: deps.fieldManagers.finalizer,
    signal: ctx.signal,
  });
  ctx.logger.info({ finalizer: name }, present ? 'finalizer added' : 'finalizer removed');
}

/**
 * The freshest known state of the pass's object: the cached one when it is the same object (uid) at a
 * newer resourceVersion, e.g. after a status write the handler made during the pass (written back into
 * the cache by the manager's KubeApi), else the object the pass started with.
 */
function latestOf(deps: PassDeps, key: string, object: KubeObject): KubeObject {
  const cached = deps.primary.get(key);
  if (cached === undefined || cached.metadata.uid !== object.metadata.uid) return object;
  return isNewerResourceVersion(cached.metadata.resourceVersion, object.metadata.resourceVersion)
    ? cached
    : object;
}

/** Writes the pass's status through the status subresource, only if it differs from the cached one. */
async function writeStatus(
  deps: PassDeps,
  object: KubeObject,
  desired: Readonly<Record<string, unknown>> | undefined,
): Promise<void> {
  if (desired === undefined) return;
  const prepared = prepareStatus(object['status'], desired, deps.clock.now());
  if (!prepared.changed) return;
  const ref = refOf(object);
  await deps.kube.applyStatus(
    deps.controller.spec.type,
    {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata:
        ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace },
      status: prepared.status,
    },
    { fieldManager: deps.fieldManagers.status },
  );
}

function onSuccess(
  deps: PassDeps,
  key: string,
  object: KubeObject,
  outcome: Outcome | undefined,
): PassResult {
  deps.rateLimiter.forget(key);
  if (outcome?.requeueAfterMs !== undefined) {
    deps.queue.addAfter(key, outcome.requeueAfterMs);
    return 'requeue_after';
  }
  const timer = deps.controller.timerSpec;
  if (timer !== undefined && !isDeleting(object.metadata) && (timer.when?.(object) ?? true)) {
    deps.queue.addAfter(key, applyJitter(timer.everyMs, timer.jitter ?? 0.1, deps.random));
  }
  return 'success';
}

function onError(deps: PassDeps, state: PassState, error: unknown): PassResult {
  const { ctx } = state;
  const labels = { controller: deps.controller.name };
  const cls = classifyError(error);
  switch (cls.kind) {
    case 'next-loop':
      if (cls.requeueAfterMs !== undefined) deps.queue.addAfter(ctx.key, cls.requeueAfterMs);
      return cls.requeueAfterMs === undefined ? 'success' : 'requeue_after';
    case 'temporary':
      ctx.logger.info({ err: toError(error), delayMs: cls.delayMs }, 'pass will be retried after a delay');
      deps.queue.addAfter(ctx.key, cls.delayMs);
      return 'requeue_after';
    case 'permanent':
      deps.rateLimiter.forget(ctx.key);
      deps.metrics.framework.terminalReconcileErrors.inc(labels);
      ctx.logger.warn(
        { err: toError(error), reason: cls.reason },
        'pass failed permanently; waiting for a change',
      );
      return 'error';
    case 'unknown': {
      const delay = Math.max(deps.rateLimiter.when(ctx.key), cls.retryAfterMs ?? 0);
      deps.queue.addAfter(ctx.key, delay);
      deps.metrics.framework.workqueueRetries.inc({
        name: deps.controller.name,
        controller: deps.controller.name,
      });
      deps.metrics.framework.reconcileErrors.inc(labels);
      if (cls.panic) deps.metrics.framework.reconcilePanics.inc(labels);
      if (state.timedOut()) deps.metrics.framework.reconcileTimeouts.inc(labels);
      ctx.logger.error(
        { err: toError(error), retryInMs: delay, attempt: ctx.attempt },
        'pass failed; retrying with backoff',
      );
      return 'error';
    }
  }
}
