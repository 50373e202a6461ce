// The ordered reconcile steps for a validated CR: ledger → children → rollout → reach the
// node → master policy → processes. Each step reports outcomes; the first waiting or stalled step ends
// the pipeline. An unexpected error is kept with the outcomes so far, so status is still written.
import type { ProcessInfo } from '../../contract/processes.js';
import { endpointsOf } from './advertise.js';
import type { PassEnv } from './deps.js';
import { condition, type ConditionOutcome, type StalledOutcome, type WaitingOutcome } from './outcomes.js';
import { ResourceConflictError } from './steps/apply.js';
import { applyNodeChildren, imagesOf } from './steps/children.js';
import { reconcileLedger, type LedgerStatus } from './steps/ledger.js';
import { reconcileBackup, reconcileRestore } from './steps/backup.js';
import type { BackupStatus } from './backup-health.js';
import { reachNode, unreachableOutcome } from './steps/node.js';
import type { RestClientTls } from './steps/rest-tls.js';
import { reconcilePolicy } from './steps/policy.js';
import { reconcileProcesses } from './steps/processes.js';
import { checkWorkload } from './steps/workload.js';

/** Status fields besides conditions; `undefined` members keep the previous value, `null` clears it. */
export interface StatusExtras {
  ledger?: LedgerStatus;
  images?: { node?: string; ledger?: string };
  advertisedAddress?: string;
  endpoints?: { tcp: string; rest: string };
  policyId?: string | null;
  processes?: ProcessInfo[];
  backup?: BackupStatus | null;
  restore?: { file: string; policyCount?: number; completionTime?: string };
}

/** Mutable collector of one pass's outcomes. */
export interface Gathered {
  ledger?: ConditionOutcome;
  node?: ConditionOutcome;
  policy?: ConditionOutcome;
  processes?: ConditionOutcome;
  backup?: ConditionOutcome;
  rolledOut: boolean;
  waiting?: WaitingOutcome;
  stalled?: StalledOutcome;
  extras: StatusExtras;
  error?: unknown;
}

const waitingPolicy = (message: string): ConditionOutcome => condition('False', 'WaitingForNode', message);

/** The restore of `spec.ledger.restoreFrom` is done (or not asked for); else it holds the policy step. */
async function restored(env: PassEnv, g: Gathered, podIP: string): Promise<boolean> {
  const restore = await reconcileRestore(env, podIP);
  if (restore.status !== undefined) g.extras.restore = restore.status;
  if (restore.done) return true;
  if (restore.policy !== undefined) g.policy = restore.policy;
  if (restore.waiting !== undefined) g.waiting = restore.waiting;
  if (restore.stalled !== undefined) g.stalled = restore.stalled;
  return false;
}

async function nodeSteps(
  env: PassEnv,
  g: Gathered,
  podIP: string,
  address: string,
  tls: RestClientTls | undefined,
): Promise<void> {
  const reach = await reachNode(env, podIP, tls);
  g.node = reach.outcome;
  if (reach.kind === 'unreachable') {
    g.policy = waitingPolicy('waiting for the node REST API');
    g.waiting = { reason: 'WaitingForNode', message: reach.outcome.message };
    return;
  }
  if (!(await restored(env, g, podIP))) return;
  const policy = await reconcilePolicy(env, reach.client, address);
  g.policy = policy.outcome;
  g.extras.policyId = policy.policyId ?? null;
  if (policy.stalled !== undefined) g.stalled = policy.stalled;
  if (policy.waiting !== undefined) g.waiting = policy.waiting;
  // A later request of the pass can time out too (the node froze after answering `get status`).
  if (policy.unreachable !== undefined) {
    g.node = unreachableOutcome(reach.client.url, policy.unreachable.message);
    return;
  }
  const processes = await reconcileProcesses(env, reach.client);
  g.processes = processes.outcome;
  if (processes.processes !== undefined) g.extras.processes = processes.processes;
  if (processes.unreachable !== undefined)
    g.node = unreachableOutcome(reach.client.url, processes.unreachable.message);
}

async function steps(env: PassEnv, g: Gathered): Promise<void> {
  g.extras.images = { ...imagesOf(env) };
  const ledger = await reconcileLedger(env);
  g.ledger = ledger.outcome;
  g.extras.ledger = ledger.status;
  if (ledger.stalled !== undefined) g.stalled = ledger.stalled;
  if (ledger.waiting !== undefined) g.waiting = ledger.waiting;
  if (!ledger.ready) return;
  const children = await applyNodeChildren(env, ledger.render);
  if (children.kind === 'waiting') {
    g.waiting = children.waiting;
    return;
  }
  if (children.kind === 'stalled') {
    g.stalled = children.stalled;
    return;
  }
  const { tcpPort, restPort } = env.spec.network;
  g.extras.advertisedAddress = children.advertisedAddress;
  g.extras.endpoints = endpointsOf(children.advertisedAddress, tcpPort, restPort);
  const rollout = checkWorkload(env, children.statefulSet);
  if (rollout.kind === 'waiting') {
    g.node = condition('False', 'WaitingForPod', rollout.podMessage);
    g.policy = waitingPolicy('waiting for the node pod');
    g.waiting = rollout.waiting;
    return;
  }
  g.rolledOut = true;
  await nodeSteps(env, g, rollout.podIP, children.advertisedAddress, children.clientTls);
  const backup = await reconcileBackup(env, rollout.podIP);
  if (backup.outcome !== undefined) g.backup = backup.outcome;
  g.extras.backup = backup.status;
}

/** Runs steps 4–9 and never throws: failures are recorded in the result. */
export async function runPipeline(env: PassEnv): Promise<Gathered> {
  const g: Gathered = { rolledOut: false, extras: {} };
  try {
    await steps(env, g);
  } catch (err) {
    if (err instanceof ResourceConflictError) {
      g.stalled = { reason: 'ResourceConflict', message: err.message };
    } else {
      g.error = err;
    }
  }
  return g;
}
