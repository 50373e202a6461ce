// PURE: condition changes between the cached status and the one a pass computed → the Events of
// Emitted on transitions only (Normal LedgerReady, Ready; Warning LedgerUnreachable,
// NodeUnreachable, ProcessesNotRunning, Stalled). PolicyPosted/PolicyReplaced come from the policy step,
// CleanupFailed/CleanupAbandoned from delete.ts. The recorder deduplicates repeats.
import type { EventInput } from '../framework/events.js';
import { findCondition, type Condition } from '../framework/status.js';

function changed(prev: Condition | undefined, next: Condition | undefined): boolean {
  return prev?.status !== next?.status || prev?.reason !== next?.reason;
}

function becameTrue(prev: Condition | undefined, next: Condition | undefined): boolean {
  return next?.status === 'True' && prev?.status !== 'True';
}

function warningOn(
  prev: readonly Condition[],
  next: readonly Condition[],
  type: string,
  reason: string,
): EventInput | undefined {
  const p = findCondition(prev, type);
  const n = findCondition(next, type);
  if (n?.status !== 'False' || n.reason !== reason || !changed(p, n)) return undefined;
  return { type: 'Warning', reason, note: n.message };
}

/** Events for the transitions from `prev` to `next`, in a stable order. */
export function transitionEvents(prev: readonly Condition[], next: readonly Condition[]): EventInput[] {
  const out: EventInput[] = [];
  const ledgerP = findCondition(prev, 'LedgerReady');
  const ledgerN = findCondition(next, 'LedgerReady');
  if (becameTrue(ledgerP, ledgerN))
    out.push({ type: 'Normal', reason: 'LedgerReady', note: ledgerN?.message ?? '' });
  for (const [type, reason] of [
    ['LedgerReady', 'LedgerUnreachable'],
    ['NodeReachable', 'NodeUnreachable'],
    ['ProcessesHealthy', 'ProcessesNotRunning'],
  ] as const) {
    const event = warningOn(prev, next, type, reason);
    if (event !== undefined) out.push(event);
  }
  const stalledP = findCondition(prev, 'Stalled');
  const stalledN = findCondition(next, 'Stalled');
  if (stalledN?.status === 'True' && changed(stalledP, stalledN)) {
    out.push({ type: 'Warning', reason: 'Stalled', note: `${stalledN.reason}: ${stalledN.message}` });
  }
  const readyP = findCondition(prev, 'Ready');
  const readyN = findCondition(next, 'Ready');
  if (becameTrue(readyP, readyN)) out.push({ type: 'Normal', reason: 'Ready', note: readyN?.message ?? '' });
  return out;
}
