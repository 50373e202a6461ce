// Cleanup under deletionPolicy Delete, run by the framework's finalizer handler:
// Terminating status → drop the master policy through the node, else by policy_id in the ledger → drop
// what the operator created in an external PostgreSQL → resolve (the framework removes the finalizer).
// Failures: Warning CleanupFailed, Stalled/CleanupFailed, retry with backoff; past
// CLEANUP_DEADLINE_SECONDS: Warning CleanupAbandoned and give up; anylog.co/skip-cleanup skips it all.
import { ANNOTATION_SKIP_CLEANUP, FIELD_MANAGER_STATUS } from '../../api/labels.js';
import { nodePodName } from '../../api/names.js';
import { desiredMasterPolicy } from '../../api/policy.js';
import { cleanupLedger, deletePolicyRows } from '../../ledger/index.js';
import { backoffDelay } from '../../common/backoff.js';
import type { Outcome, ReconcileContext } from '../framework/controller.js';
import { refOf } from '../framework/kube.js';
import { assembleStatus } from './assemble.js';
import type { PassEnv, ResolvedDeps } from './deps.js';
import { desiredPolicyId, ownPolicies } from './policy.js';
import { ANYLOG_MASTERS, PODS } from './resources.js';
import { computeStatus } from './status.js';
import { reconcileLedger, type LedgerConnection } from './steps/ledger.js';
import { readRestClientTls } from './steps/rest-tls.js';
import { validateObject } from './steps/validate.js';
import { readStatus } from './observed-status.js';
import { podIsReady, podView, type PodView } from './views.js';

/** Policy ids to remove: the recorded one and the one the current spec would have. */
function knownPolicyIds(env: PassEnv): string[] {
  const { policyId, advertisedAddress } = env.status;
  const ids = new Set<string>();
  if (policyId !== undefined) ids.add(policyId);
  if (advertisedAddress !== undefined)
    ids.add(desiredPolicyId(desiredMasterPolicy(env.cr, advertisedAddress)));
  return [...ids];
}

/** Drops own master policies through the node; false when the node cannot be reached. */
async function dropThroughNode(env: PassEnv): Promise<boolean> {
  const pod = env.ctx.cache(PODS).get(`${env.cr.metadata.namespace}/${nodePodName(env.cr)}`);
  const ip = readyPodIp(podView(pod));
  if (ip === undefined) return false;
  const identity = { nodeName: env.spec.nodeName, company: env.spec.company };
  try {
    const tls = await readRestClientTls(env);
    const client = env.deps.nodeClient(ip, env.spec.network.restPort, env.ctx.logger, tls);
    const own = ownPolicies(await client.queryMasterPolicies(identity, { signal: env.ctx.signal }), identity);
    for (const p of own) await client.dropPolicy(p.id, { signal: env.ctx.signal });
    return true;
  } catch (err) {
    env.ctx.logger.info({ err }, 'node not usable for policy cleanup; falling back to the ledger');
    return false;
  }
}

function readyPodIp(pod: PodView | undefined): string | undefined {
  return pod !== undefined && podIsReady(pod) ? pod.status?.podIP : undefined;
}

async function ledgerConnection(env: PassEnv): Promise<LedgerConnection | undefined> {
  if (env.spec.ledger.mode === 'Embedded') return undefined;
  const ledger = await reconcileLedger(env);
  if (ledger.connection === undefined)
    throw new Error(`ledger not usable for cleanup: ${ledger.outcome.message}`);
  return ledger.connection;
}

async function runCleanup(env: PassEnv): Promise<void> {
  const droppedByNode = await dropThroughNode(env);
  const connection = await ledgerConnection(env);
  if (connection === undefined) return;
  if (!droppedByNode) {
    await deletePolicyRows({
      endpoint: connection.endpoint,
      credentials: connection.nodeCredentials,
      policyIds: knownPolicyIds(env),
    });
  }
  if (env.spec.ledger.mode !== 'External') return;
  const created = env.status.ledger?.createdByOperator;
  const outcome = await cleanupLedger({
    ...connection,
    createdByOperator: { database: created?.database ?? false, role: created?.role ?? false },
    logger: env.ctx.logger,
  });
  for (const skipped of outcome.skipped) env.ctx.logger.warn({ skipped }, 'left behind by cleanup');
}

function setDeletingStatus(env: PassEnv, stalledMessage?: string): Record<string, unknown> {
  const computed = computeStatus({
    generation: env.ctx.object.metadata.generation ?? 0,
    previous: env.status,
    outcomes: {
      rolledOut: false,
      deleting: true,
      ...(stalledMessage === undefined
        ? {}
        : { stalled: { reason: 'CleanupFailed', message: stalledMessage } }),
    },
    nowMs: env.ctx.clock.now(),
    progressDeadlineSeconds: env.spec.progressDeadlineSeconds,
  });
  return assembleStatus(env.status, computed, {});
}

async function writeTerminating(env: PassEnv): Promise<void> {
  if (env.status.phase === 'Terminating') return;
  const ref = refOf(env.ctx.object);
  await env.ctx.kube.applyStatus(
    ANYLOG_MASTERS,
    {
      apiVersion: env.ctx.object.apiVersion,
      kind: env.ctx.object.kind,
      metadata: { name: ref.name, ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }) },
      status: setDeletingStatus(env),
    },
    { fieldManager: FIELD_MANAGER_STATUS, signal: env.ctx.signal },
  );
}

function pastDeadline(deps: ResolvedDeps, ctx: ReconcileContext): boolean {
  const since = Date.parse(ctx.object.metadata.deletionTimestamp ?? '');
  return !Number.isNaN(since) && ctx.clock.now() - since > deps.settings.cleanupDeadlineMs;
}

/** The finalizer's cleanup handler; resolving without requeueAfterMs lets the framework remove the finalizer. */
export async function cleanupAnyLogMaster(
  deps: ResolvedDeps,
  ctx: ReconcileContext,
): Promise<Outcome | undefined> {
  if (ctx.object.metadata.annotations?.[ANNOTATION_SKIP_CLEANUP] === 'true') {
    ctx.logger.warn('anylog.co/skip-cleanup is set: removing the finalizer without cleanup');
    return undefined;
  }
  const validated = validateObject(ctx.object);
  if (!validated.ok) {
    ctx.logger.warn({ problem: validated.stalled.message }, 'invalid spec: nothing can be cleaned up');
    return undefined;
  }
  const { status } = readStatus(ctx);
  const env: PassEnv = { ctx, cr: validated.cr, spec: validated.spec, status, deps, forceApply: false };
  if (pastDeadline(deps, ctx)) {
    const left = `master policy ${knownPolicyIds(env).join(', ') || '(none recorded)'} and any database or role the operator created`;
    await ctx.events.emit({
      type: 'Warning',
      reason: 'CleanupAbandoned',
      note: `cleanup deadline passed; left behind: ${left}`,
    });
    return undefined;
  }
  try {
    await writeTerminating(env);
    await runCleanup(env);
    deps.domainMetrics.forget(validated.cr.metadata.namespace, validated.cr.metadata.name);
    return undefined;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const message = `cleanup failed: ${err instanceof Error ? err.message : String(err)}`;
    await ctx.events.emit({ type: 'Warning', reason: 'CleanupFailed', note: message });
    ctx.status.set(setDeletingStatus(env, message));
    return {
      requeueAfterMs: backoffDelay(ctx.attempt, {
        initialMs: 1_000,
        maxMs: 300_000,
        jitter: 0.1,
        random: deps.random,
      }),
    };
  }
}
