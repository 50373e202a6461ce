// PURE: step outcomes of one pass → the status conditions, root observedGeneration and phase of an
// AnyLogMaster, by the status contract's rules (generation rules, lastTransitionTime only on status
// flips, Ready mirroring order, progress deadline, abnormal-true Reconciling/Stalled present only when
// True, runtime degradation without Reconciling). reconcile.ts calls it once per pass with the status it
// parsed (observed-status.ts); the only framework call is the transition-time stamp. No I/O, no clock.
import {
  DOMAIN_CONDITIONS,
  READY_BLOCKED_REASONS,
  type ConditionStatus,
  type Phase,
  type Reason,
} from '../../api/conditions.js';
import { withTransitionTimes, type Condition } from '../framework/status.js';
import { conditionOf, type ObservedStatus } from './observed-status.js';
import { condition, type ConditionOutcome, type StalledOutcome, type StepOutcomes } from './outcomes.js';

export interface StatusInput {
  /** metadata.generation of the object this pass read. */
  readonly generation: number;
  /** The status as cached before this pass, parsed (conditions and root observedGeneration are read). */
  readonly previous: ObservedStatus;
  readonly outcomes: StepOutcomes;
  readonly nowMs: number;
  readonly progressDeadlineSeconds: number;
  /** In-memory hint: when Reconciling started for this generation (survives only while the process runs). */
  readonly reconcilingSinceMs?: number | undefined;
}

export interface ComputedStatus {
  /** Ready, Reconciling?, Stalled?, then the four domain conditions; lastTransitionTime set. */
  readonly conditions: Condition[];
  readonly observedGeneration: number | undefined;
  readonly phase: Phase;
  readonly ready: boolean;
  /** Reconciling=True: its reason and since when (for the deadline tracker). */
  readonly reconciling: { readonly reason: Reason; readonly sinceMs: number } | undefined;
  readonly stalled: StalledOutcome | undefined;
}

export const READY_MESSAGE = 'master policy posted, 4 required processes running';
const NOT_CHECKED = 'not checked yet';

type DomainType = (typeof DOMAIN_CONDITIONS)[number];

const DEFAULT_DOMAIN: Readonly<Record<DomainType, ConditionOutcome>> = {
  LedgerReady: condition('False', 'WaitingForLedger', NOT_CHECKED),
  NodeReachable: condition('Unknown', 'NotChecked', NOT_CHECKED),
  PolicyPosted: condition('Unknown', 'NotChecked', NOT_CHECKED),
  ProcessesHealthy: condition('Unknown', 'NotChecked', NOT_CHECKED),
};

/** Ready's reason when a domain condition carries a reason Ready may not use. */
const READY_FALLBACK: Readonly<Record<DomainType, Reason>> = {
  LedgerReady: 'WaitingForLedger',
  NodeReachable: 'Progressing',
  PolicyPosted: 'PolicyNotPosted',
  ProcessesHealthy: 'ProcessesNotRunning',
};

const isTrue = (c: Condition | undefined): boolean => c?.status === 'True';
const readyReasonAllowed = (reason: string): boolean =>
  (READY_BLOCKED_REASONS as readonly string[]).includes(reason);

function outcomeOf(type: DomainType, outcomes: StepOutcomes): ConditionOutcome | undefined {
  switch (type) {
    case 'LedgerReady':
      return outcomes.ledger;
    case 'NodeReachable':
      return outcomes.node;
    case 'PolicyPosted':
      return outcomes.policy;
    case 'ProcessesHealthy':
      return outcomes.processes;
  }
}

/** The four domain conditions; during deletion an unreached step keeps its previous value. */
function domainConditions(input: StatusInput): Condition[] {
  return DOMAIN_CONDITIONS.map((type) => {
    const kept = input.outcomes.deleting === true ? conditionOf(input.previous, type) : undefined;
    const o = outcomeOf(type, input.outcomes) ?? kept ?? DEFAULT_DOMAIN[type];
    return {
      type,
      status: o.status,
      reason: o.reason,
      message: o.message,
      observedGeneration: input.generation,
    };
  });
}

/**
 * Work for this generation is in flight (rule 1 and 7): the generation was never brought to a terminal
 * outcome, the last outcome was a stall, or Reconciling is already running for this generation.
 */
export function isInFlight(generation: number, previous: ObservedStatus, deleting: boolean): boolean {
  if (deleting) return true;
  if (previous.observedGeneration !== generation) return true;
  if (isTrue(conditionOf(previous, 'Stalled'))) return true;
  const rec = conditionOf(previous, 'Reconciling');
  return isTrue(rec) && rec?.observedGeneration === generation;
}

function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** When Reconciling started for this generation: the in-memory hint, else the condition's transition time. */
function reconcilingSince(input: StatusInput): number {
  if (input.reconcilingSinceMs !== undefined) return input.reconcilingSinceMs;
  const rec = conditionOf(input.previous, 'Reconciling');
  if (isTrue(rec) && rec?.observedGeneration === input.generation) {
    return parseTime(rec.lastTransitionTime) ?? input.nowMs;
  }
  return input.nowMs;
}

interface Flight {
  readonly stalled: StalledOutcome | undefined;
  readonly reconciling:
    { readonly reason: Reason; readonly message: string; readonly sinceMs: number } | undefined;
}

/** Rule 6: Reconciling for the same generation past the deadline becomes Stalled/ProgressDeadlineExceeded. */
function applyDeadline(input: StatusInput, reason: Reason, message: string): Flight {
  const sinceMs = reconcilingSince(input);
  const prevStalled = conditionOf(input.previous, 'Stalled');
  const alreadyExceeded =
    isTrue(prevStalled) &&
    prevStalled?.reason === 'ProgressDeadlineExceeded' &&
    prevStalled.observedGeneration === input.generation;
  if (alreadyExceeded || input.nowMs - sinceMs > input.progressDeadlineSeconds * 1000) {
    const stalled: StalledOutcome = {
      reason: 'ProgressDeadlineExceeded',
      message: `no progress within ${input.progressDeadlineSeconds}s; still ${reason}: ${message}`,
    };
    return { stalled, reconciling: undefined };
  }
  return { stalled: undefined, reconciling: { reason, message, sinceMs } };
}

function flightOf(input: StatusInput, domainReady: boolean): Flight {
  const { outcomes } = input;
  if (outcomes.stalled !== undefined) return { stalled: outcomes.stalled, reconciling: undefined };
  if (outcomes.deleting === true) {
    return {
      stalled: undefined,
      reconciling: { reason: 'Deleting', message: 'running cleanup', sinceMs: input.nowMs },
    };
  }
  if (domainReady || !isInFlight(input.generation, input.previous, false)) {
    return { stalled: undefined, reconciling: undefined };
  }
  const reason = outcomes.waiting?.reason ?? 'Progressing';
  const message = outcomes.waiting?.message ?? 'reconciling the current generation';
  return applyDeadline(input, reason, message);
}

interface ReadyParts {
  readonly status: ConditionStatus;
  readonly reason: Reason;
  readonly message: string;
}

/** Rule 5: Stalled, then the first non-True domain condition, then Reconciling. */
function mirrorReady(domain: readonly Condition[], flight: Flight, deleting: boolean): ReadyParts {
  if (flight.stalled !== undefined) {
    return { status: 'False', reason: flight.stalled.reason, message: flight.stalled.message };
  }
  if (deleting) return { status: 'False', reason: 'Deleting', message: 'the object is being deleted' };
  const blocking = domain.find((c) => c.status !== 'True');
  if (blocking !== undefined) {
    const type = blocking.type as DomainType;
    let reason: Reason = readyReasonAllowed(blocking.reason)
      ? (blocking.reason as Reason)
      : READY_FALLBACK[type];
    if (
      blocking.reason === 'NotChecked' &&
      flight.reconciling !== undefined &&
      readyReasonAllowed(flight.reconciling.reason)
    ) {
      reason = flight.reconciling.reason;
    }
    return { status: blocking.status, reason, message: blocking.message };
  }
  if (flight.reconciling !== undefined) {
    const r = flight.reconciling.reason;
    return {
      status: 'Unknown',
      reason: readyReasonAllowed(r) ? r : 'Progressing',
      message: flight.reconciling.message,
    };
  }
  return { status: 'False', reason: 'RollingOut', message: 'the node StatefulSet is not rolled out' };
}

function phaseOf(deleting: boolean, flight: Flight, ready: boolean, readyStatus: ConditionStatus): Phase {
  if (deleting) return 'Terminating';
  if (flight.stalled !== undefined) return 'Failed';
  if (flight.reconciling !== undefined) return 'Provisioning';
  if (ready) return 'Running';
  return readyStatus === 'False' ? 'Degraded' : 'Pending';
}

/** Computes conditions, root observedGeneration and phase for one pass. */
export function computeStatus(input: StatusInput): ComputedStatus {
  const gen = input.generation;
  const deleting = input.outcomes.deleting === true;
  const domain = domainConditions(input);
  const domainReady = !deleting && domain.every((c) => c.status === 'True') && input.outcomes.rolledOut;
  const flight = flightOf(input, domainReady);
  const ready = domainReady && flight.stalled === undefined && flight.reconciling === undefined;
  const parts: ReadyParts = ready
    ? { status: 'True', reason: 'Ready', message: READY_MESSAGE }
    : mirrorReady(domain, flight, deleting);
  const conditions: Condition[] = [{ type: 'Ready', ...parts, observedGeneration: gen }];
  if (flight.reconciling !== undefined) {
    const { reason, message } = flight.reconciling;
    conditions.push({ type: 'Reconciling', status: 'True', reason, message, observedGeneration: gen });
  }
  if (flight.stalled !== undefined) {
    const { reason, message } = flight.stalled;
    conditions.push({ type: 'Stalled', status: 'True', reason, message, observedGeneration: gen });
  }
  conditions.push(...domain);
  if (input.outcomes.backup !== undefined) {
    conditions.push({ type: 'BackupHealthy', ...input.outcomes.backup, observedGeneration: gen });
  }
  const terminal = ready || flight.stalled !== undefined;
  return {
    conditions: withTransitionTimes(input.previous.conditions, conditions, input.nowMs),
    observedGeneration: terminal ? gen : input.previous.observedGeneration,
    phase: phaseOf(deleting, flight, ready, parts.status),
    ready,
    reconciling:
      flight.reconciling === undefined
        ? undefined
        : { reason: flight.reconciling.reason, sinceMs: flight.reconciling.sinceMs },
    stalled: flight.stalled,
  };
}

/** Rule 8: what the first pass writes before doing any work that can take time. */
export function initialConditions(generation: number, nowMs: number): Condition[] {
  const base = { observedGeneration: generation };
  return withTransitionTimes(
    [],
    [
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: 'reconciling the first pass',
        ...base,
      },
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: 'reconciling the first pass',
        ...base,
      },
    ],
    nowMs,
  );
}
