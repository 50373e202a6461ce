// Step outcomes of one AnyLogMaster pass: what each step of reconcile.ts found, as
// plain data. status.ts turns them into conditions and phase; cadence.ts into the next requeue.
// No I/O and no framework types here, so both pure modules can be unit tested from tables.
import type { ConditionStatus, Reason, ReconcilingReason, StalledReason } from '../../api/conditions.js';

/** One domain condition as a step computed it. */
export interface ConditionOutcome {
  readonly status: ConditionStatus;
  readonly reason: Reason;
  readonly message: string;
}

/** Work is in flight and the pass returns a short requeue (Reconciling reason). */
export interface WaitingOutcome {
  readonly reason: ReconcilingReason;
  readonly message: string;
}

/** The pass cannot make progress without a change by the user (Stalled reason). */
export interface StalledOutcome {
  readonly reason: StalledReason;
  readonly message: string;
}

/** Everything the steps of one pass report; a step that was not reached leaves its field undefined. */
export interface StepOutcomes {
  readonly ledger?: ConditionOutcome;
  readonly node?: ConditionOutcome;
  readonly policy?: ConditionOutcome;
  readonly processes?: ConditionOutcome;
  /** BackupHealthy; absent when the spec asks for no backup (the condition is then dropped). */
  readonly backup?: ConditionOutcome;
  /** The node StatefulSet is rolled out for the current revision and its pod is Ready. */
  readonly rolledOut: boolean;
  readonly waiting?: WaitingOutcome;
  readonly stalled?: StalledOutcome;
  /** The object is being deleted (deletion flow). */
  readonly deleting?: boolean;
}

export const condition = (status: ConditionStatus, reason: Reason, message: string): ConditionOutcome => ({
  status,
  reason,
  message,
});
