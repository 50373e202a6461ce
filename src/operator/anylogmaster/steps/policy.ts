// Step 8: compute the desired master policy, query the node, then leave it alone,
// insert it, or replace stale ones (drop each, insert), and verify. A 4xx answer to the insert is
// Stalled/PolicyRejected; an unreachable node or a 5xx is temporary. Emits PolicyPosted/PolicyReplaced.
import { desiredMasterPolicy } from '../../../api/policy.js';
import { NodeRejectedError, NodeUnreachableError, type NodeClient } from '../../../nodeclient/index.js';
import type { PassEnv } from '../deps.js';
import { condition, type ConditionOutcome, type StalledOutcome, type WaitingOutcome } from '../outcomes.js';
import {
  decidePolicyAction,
  desiredPolicyId,
  ownPolicies,
  policyBody,
  type PolicyAction,
} from '../policy.js';

export interface PolicyStepResult {
  readonly outcome: ConditionOutcome;
  /** The posted id, verified; undefined while not posted (status.policyId is then cleared). */
  readonly policyId?: string;
  readonly waiting?: WaitingOutcome;
  readonly stalled?: StalledOutcome;
  /** The node stopped answering during this step. */
  readonly unreachable?: ConditionOutcome;
}

interface Ctx {
  readonly env: PassEnv;
  readonly client: NodeClient;
  readonly identity: { readonly nodeName: string; readonly company: string };
  readonly signal: AbortSignal;
}

async function query(c: Ctx): Promise<{ id: string; name: string; company: string }[]> {
  const found = await c.client.queryMasterPolicies(
    { nodeName: c.identity.nodeName, company: c.identity.company },
    { signal: c.signal },
  );
  return ownPolicies(found, c.identity);
}

async function execute(
  c: Ctx,
  action: PolicyAction,
  desired: ReturnType<typeof desiredMasterPolicy>,
): Promise<void> {
  const ops = c.env.deps.domainMetrics.policyOperations;
  if (action.kind === 'replace') {
    for (const id of action.drop) {
      const result = await c.client.dropPolicy(id, { signal: c.signal });
      ops.inc({ operation: 'drop', result });
      c.env.ctx.logger.info({ policyId: id, result }, 'dropped a stale master policy');
    }
  }
  if (action.kind === 'insert' || (action.kind === 'replace' && action.insert)) {
    const result = await c.client.insertPolicy(policyBody(desired), { signal: c.signal });
    ops.inc({ operation: 'insert', result });
  }
}

async function verify(c: Ctx, desiredId: string, action: PolicyAction): Promise<PolicyStepResult> {
  const after = await query(c);
  const ops = c.env.deps.domainMetrics.policyOperations;
  if (after.some((p) => p.id === desiredId)) {
    ops.inc({ operation: 'verify', result: 'ok' });
    return { outcome: condition('True', 'Posted', `master policy ${desiredId} posted`), policyId: desiredId };
  }
  ops.inc({ operation: 'verify', result: 'missing' });
  // A policy this pass dropped may still be listed (the drop not visible yet): it is never taken as ours.
  const dropped = action.kind === 'replace' ? action.drop : [];
  const only = after.length === 1 ? after[0] : undefined;
  if (action.kind !== 'none' && only !== undefined && !dropped.includes(only.id)) {
    c.env.ctx.logger.error(
      { expected: desiredId, actual: only.id },
      'BUG: the node gave the master policy another id than computed',
    );
    return {
      outcome: condition('True', 'Posted', `master policy ${only.id} posted`),
      policyId: only.id,
    };
  }
  const reason = action.kind === 'replace' ? 'ReplacingPolicy' : 'PostingPolicy';
  const message = `master policy ${desiredId} not visible on the node yet`;
  return {
    outcome: condition('False', reason === 'ReplacingPolicy' ? 'ReplacingPolicy' : 'WaitingForNode', message),
    waiting: { reason, message },
  };
}

function policyFailure(err: unknown, action: PolicyAction | undefined): PolicyStepResult {
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof NodeRejectedError && !err.retryable && action !== undefined && action.kind !== 'none') {
    const message = `the node rejected the master policy: ${detail}`;
    return {
      outcome: condition('False', 'PolicyRejected', message),
      stalled: { reason: 'PolicyRejected', message },
    };
  }
  const waiting: WaitingOutcome = {
    reason: action?.kind === 'replace' ? 'ReplacingPolicy' : 'PostingPolicy',
    message: detail,
  };
  const outcome = condition('False', 'WaitingForNode', detail);
  if (err instanceof NodeUnreachableError)
    return { outcome, waiting, unreachable: condition('False', 'NodeUnreachable', detail) };
  if (err instanceof NodeRejectedError || (err instanceof Error && 'retryable' in err))
    return { outcome, waiting };
  throw err;
}

async function emitPolicyEvent(env: PassEnv, action: PolicyAction, id: string): Promise<void> {
  if (action.kind === 'none') return;
  const note =
    action.kind === 'replace'
      ? `master policy ${id} replaced ${action.drop.join(', ')}`
      : `master policy ${id} posted`;
  await env.ctx.events.emit({
    type: 'Normal',
    reason: action.kind === 'replace' ? 'PolicyReplaced' : 'PolicyPosted',
    note,
  });
}

/** Step 8; `address` is the advertised address. */
export async function reconcilePolicy(
  env: PassEnv,
  client: NodeClient,
  address: string,
): Promise<PolicyStepResult> {
  const c: Ctx = {
    env,
    client,
    identity: { nodeName: env.spec.nodeName, company: env.spec.company },
    signal: env.ctx.signal,
  };
  const desired = desiredMasterPolicy(env.cr, address);
  const desiredId = desiredPolicyId(desired);
  let action: PolicyAction | undefined;
  try {
    action = decidePolicyAction(desiredId, await query(c), c.identity);
    await execute(c, action, desired);
    const result = await verify(c, desiredId, action);
    if (result.policyId !== undefined) await emitPolicyEvent(env, action, result.policyId);
    return result;
  } catch (err) {
    if (env.ctx.signal.aborted) throw err;
    return policyFailure(err, action);
  }
}
