// The AnyLogMaster reconcile pass: the stored status parsed once
// (observed-status.ts) → initial status (rule 8) → validate → steps 4–9 (pipeline.ts) → status computed by
// the pure status.ts from that parsed status (the framework writes each status write's answer back into
// the cache, so it includes the last pass's write), handed to the framework (written once, only if
// changed) → Events for transitions → the requeue its cadence asks for, or the error that
// carries the retry decision.
import { FIELD_MANAGER_STATUS } from '../../api/labels.js';
import { toError } from '../../common/errors.js';
import type { Condition } from '../framework/status.js';
import type { Outcome, ReconcileContext } from '../framework/controller.js';
import { PermanentError } from '../framework/errors.js';
import { refOf } from '../framework/kube.js';
import { assembleStatus } from './assemble.js';
import { nextCadence } from './cadence.js';
import type { PassEnv, ResolvedDeps } from './deps.js';
import { runPipeline, type Gathered } from './pipeline.js';
import { readStatus, type ObservedStatus } from './observed-status.js';
import { ANYLOG_MASTERS } from './resources.js';
import { computeStatus, initialConditions, isInFlight, type ComputedStatus } from './status.js';
import { validateObject } from './steps/validate.js';
import { transitionEvents } from './transitions.js';

function generationOf(ctx: ReconcileContext): number {
  return ctx.object.metadata.generation ?? 0;
}

/** Rule 8: the first pass shows Ready=Unknown/Reconciling=True before any slow work. */
async function writeInitialStatus(ctx: ReconcileContext, previous: ObservedStatus): Promise<void> {
  if (previous.conditions.length > 0) return;
  const ref = refOf(ctx.object);
  await ctx.kube.applyStatus(
    ANYLOG_MASTERS,
    {
      apiVersion: ctx.object.apiVersion,
      kind: ctx.object.kind,
      metadata: { name: ref.name, ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }) },
      status: { phase: 'Pending', conditions: initialConditions(generationOf(ctx), ctx.clock.now()) },
    },
    { fieldManager: FIELD_MANAGER_STATUS, signal: ctx.signal },
  );
}

function progressHint(deps: ResolvedDeps, ctx: ReconcileContext): number | undefined {
  const hint = deps.reconcilingSince.get(ctx.key);
  return hint?.generation === generationOf(ctx) ? hint.sinceMs : undefined;
}

function rememberProgress(deps: ResolvedDeps, ctx: ReconcileContext, computed: ComputedStatus): void {
  if (computed.reconciling === undefined) {
    if (computed.stalled?.reason !== 'ProgressDeadlineExceeded') deps.reconcilingSince.delete(ctx.key);
    return;
  }
  deps.reconcilingSince.set(ctx.key, {
    generation: generationOf(ctx),
    sinceMs: computed.reconciling.sinceMs,
  });
}

async function emitTransitions(
  ctx: ReconcileContext,
  previous: ObservedStatus,
  next: readonly Condition[],
): Promise<void> {
  for (const event of transitionEvents(previous.conditions, next)) await ctx.events.emit(event);
}

/** Computes and hands over the status, emits Events, and turns the result into an Outcome or an error. */
async function finish(
  deps: ResolvedDeps,
  ctx: ReconcileContext,
  previous: ObservedStatus,
  g: Gathered,
  progressDeadlineSeconds: number,
): Promise<Outcome> {
  const computed = computeStatus({
    generation: generationOf(ctx),
    previous,
    outcomes: g,
    nowMs: ctx.clock.now(),
    progressDeadlineSeconds,
    reconcilingSinceMs: progressHint(deps, ctx),
  });
  rememberProgress(deps, ctx, computed);
  const status = assembleStatus(previous, computed, g.extras);
  ctx.status.set(status);
  await emitTransitions(ctx, previous, computed.conditions);
  const { namespace = '', name } = ctx.object.metadata;
  const mode = g.extras.ledger?.mode;
  if (mode !== undefined)
    deps.domainMetrics.ledgerReady.set({ namespace, name, mode }, g.ledger?.status === 'True' ? 1 : 0);
  if (g.error !== undefined) throw toError(g.error);
  const cadence = nextCadence({
    ready: computed.ready,
    stalled: computed.stalled?.reason,
    random: deps.random,
  });
  if (cadence.kind === 'permanent' && computed.stalled !== undefined) {
    throw new PermanentError(computed.stalled.message, { reason: computed.stalled.reason });
  }
  return cadence.kind === 'requeue' ? { requeueAfterMs: cadence.afterMs } : {};
}

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** One reconcile pass of an AnyLogMaster (the handler registered with the framework). */
export async function reconcileAnyLogMaster(deps: ResolvedDeps, ctx: ReconcileContext): Promise<Outcome> {
  // The status the pass starts from: the cache holds the previous pass's write (written back by the
  // framework when the write returned), so a transition is reported once.
  const { status } = readStatus(ctx);
  await writeInitialStatus(ctx, status);
  const validated = validateObject(ctx.object);
  if (!validated.ok) {
    return finish(
      deps,
      ctx,
      status,
      { rolledOut: false, stalled: validated.stalled, extras: {} },
      DEFAULT_PROGRESS_DEADLINE_SECONDS,
    );
  }
  const forceApply = isInFlight(generationOf(ctx), status, false);
  const env: PassEnv = { ctx, cr: validated.cr, spec: validated.spec, status, deps, forceApply };
  const gathered = await runPipeline(env);
  return finish(deps, ctx, status, gathered, validated.spec.progressDeadlineSeconds);
}
