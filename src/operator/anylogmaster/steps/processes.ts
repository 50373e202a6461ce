// Step 9: `get processes where format = json` → status.processes in the node's
// order, and ProcessesHealthy from the four required processes; also the anylog_node_process_up gauge.
import {
  notRunningRequired,
  PROCESS_STATUS,
  REQUIRED_PROCESSES,
  type ProcessInfo,
} from '../../../contract/processes.js';
import { NodeUnreachableError, type NodeClient } from '../../../nodeclient/index.js';
import type { PassEnv } from '../deps.js';
import { isKnownProcess } from '../metrics.js';
import { condition, type ConditionOutcome } from '../outcomes.js';

export interface ProcessesStepResult {
  readonly outcome: ConditionOutcome;
  readonly processes?: ProcessInfo[];
  readonly unreachable?: ConditionOutcome;
}

/** ProcessesHealthy from a process list (pure). */
export function processesCondition(list: readonly ProcessInfo[]): ConditionOutcome {
  const missing = notRunningRequired(list);
  if (missing.length === 0) {
    return condition('True', 'AllRunning', `${REQUIRED_PROCESSES.length} required processes running`);
  }
  return condition('False', 'ProcessesNotRunning', `required processes not running: ${missing.join(', ')}`);
}

const MAX_PROCESSES = 64;
const MAX_TEXT = 1024;

/** Caps list length and text sizes to the status schema's limits. */
export function statusProcesses(list: readonly ProcessInfo[]): ProcessInfo[] {
  return list.slice(0, MAX_PROCESSES).map((p) => ({
    name: p.name.slice(0, 128),
    status: p.status.slice(0, 128),
    ...(p.details === undefined ? {} : { details: p.details.slice(0, MAX_TEXT) }),
  }));
}

export async function reconcileProcesses(env: PassEnv, client: NodeClient): Promise<ProcessesStepResult> {
  const { namespace, name } = env.cr.metadata;
  try {
    const list = await client.getProcesses({ signal: env.ctx.signal });
    for (const p of list) {
      if (isKnownProcess(p.name)) {
        env.deps.domainMetrics.processUp.set(
          { namespace, name, process: p.name },
          p.status === PROCESS_STATUS.RUNNING ? 1 : 0,
        );
      }
    }
    return { outcome: processesCondition(list), processes: statusProcesses(list) };
  } catch (err) {
    if (env.ctx.signal.aborted) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    const outcome = condition('Unknown', 'NotChecked', `get processes failed: ${detail}`);
    if (err instanceof NodeUnreachableError)
      return { outcome, unreachable: condition('False', 'NodeUnreachable', detail) };
    if (err instanceof Error && 'retryable' in err) return { outcome };
    throw err;
  }
}
