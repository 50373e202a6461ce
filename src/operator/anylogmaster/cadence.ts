// PURE requeue cadence of an AnyLogMaster pass: Ready → 30 s ± 10 %, in flight or
// degraded → 5 s, stalls the user can fix outside the CR → 60 s, stalls that need a spec change → none
// (the pass ends with a PermanentError). Temporary errors carry their own delay.
import { applyJitter } from '../../common/backoff.js';
import type { StalledReason } from '../../api/conditions.js';

export const READY_RESYNC_MS = 30_000;
export const WAIT_MS = 5_000;
export const STALLED_RECHECK_MS = 60_000;
export const JITTER = 0.1;

/** Stalls that only a spec change (or an owned object change) can clear: no requeue. */
export const PERMANENT_STALLS: readonly StalledReason[] = [
  'InvalidSpec',
  'PolicyRejected',
  'ResourceConflict',
];

export type Cadence =
  | { readonly kind: 'requeue'; readonly afterMs: number }
  /** End the pass with a PermanentError: no retry until the object changes. */
  | { readonly kind: 'permanent' };

export interface CadenceInput {
  readonly ready: boolean;
  readonly stalled: StalledReason | undefined;
  readonly random?: () => number;
}

export function nextCadence(input: CadenceInput): Cadence {
  if (input.stalled !== undefined) {
    return PERMANENT_STALLS.includes(input.stalled)
      ? { kind: 'permanent' }
      : { kind: 'requeue', afterMs: STALLED_RECHECK_MS };
  }
  if (input.ready) return { kind: 'requeue', afterMs: applyJitter(READY_RESYNC_MS, JITTER, input.random) };
  return { kind: 'requeue', afterMs: WAIT_MS };
}
