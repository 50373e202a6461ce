// Status helpers: conditions keep lastTransitionTime unless their status
// flips, every condition carries the pass's observedGeneration, and a status is written only when it
// differs from the cached one after normalisation. Pure; `now` is passed in.
import { canonicalJson } from '../../common/hash.js';
import { isRecord } from '../../common/is-record.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

export const MAX_CONDITION_MESSAGE = 1024;

/** Conditions read from an object's status, tolerant of missing or malformed entries. */
export function readConditions(status: unknown): Condition[] {
  const conditions: unknown = isRecord(status) ? status['conditions'] : undefined;
  if (!Array.isArray(conditions)) return [];
  const entries: readonly unknown[] = conditions;
  return entries.filter(
    (c): c is Condition => isRecord(c) && typeof c['type'] === 'string' && typeof c['status'] === 'string',
  );
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/** RFC 3339 with seconds precision, as metav1.Time serialises. */
export function formatTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function capMessage(message: string): string {
  return message.length <= MAX_CONDITION_MESSAGE
    ? message
    : `${message.slice(0, MAX_CONDITION_MESSAGE - 1)}…`;
}

/**
 * Gives each desired condition its lastTransitionTime: the previous one when the status did not flip,
 * `now` otherwise. Messages are capped.
 */
export function withTransitionTimes(
  previous: readonly Condition[],
  desired: readonly Condition[],
  nowMs: number,
): Condition[] {
  const now = formatTime(nowMs);
  return desired.map((c) => {
    const prev = findCondition(previous, c.type);
    const kept = prev !== undefined && prev.status === c.status ? prev.lastTransitionTime : undefined;
    return { ...c, message: capMessage(c.message), lastTransitionTime: kept ?? c.lastTransitionTime ?? now };
  });
}

/** Sets (or replaces) one condition in a list, with the transition-time rule. */
export function setCondition(
  conditions: readonly Condition[],
  condition: Condition,
  nowMs: number,
): Condition[] {
  const [stamped] = withTransitionTimes(conditions, [condition], nowMs);
  const rest = conditions.filter((c) => c.type !== condition.type);
  return stamped === undefined ? rest : [...rest, stamped];
}

export function removeCondition(conditions: readonly Condition[], type: string): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

/** Stamps `observedGeneration` on every condition that lacks one. */
export function withObservedGeneration(conditions: readonly Condition[], generation: number): Condition[] {
  return conditions.map((c) =>
    c.observedGeneration === undefined ? { ...c, observedGeneration: generation } : c,
  );
}

/** Canonical form for comparison: undefined dropped, conditions sorted by type. */
function normalizeStatus(status: unknown): unknown {
  if (!isRecord(status)) return status ?? {};
  const conditions = status['conditions'];
  if (!Array.isArray(conditions)) return status;
  const entries: readonly unknown[] = conditions;
  const sorted = [...entries].sort((a, b) => {
    const ta = isRecord(a) ? String(a['type']) : '';
    const tb = isRecord(b) ? String(b['type']) : '';
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  return { ...status, conditions: sorted };
}

export function statusEquals(a: unknown, b: unknown): boolean {
  return canonicalJson(normalizeStatus(a)) === canonicalJson(normalizeStatus(b));
}

export interface PreparedStatus {
  readonly status: Record<string, unknown>;
  readonly changed: boolean;
}

/**
 * Prepares a desired status for writing: transition times carried over from `current`, then compared
 * with `current`. `changed` false means the write must be skipped (no-op status writes re-trigger).
 */
export function prepareStatus(
  current: unknown,
  desired: Readonly<Record<string, unknown>>,
  nowMs: number,
): PreparedStatus {
  const previous = readConditions(current);
  const next = Array.isArray(desired['conditions'])
    ? withTransitionTimes(previous, readConditions(desired), nowMs)
    : undefined;
  const status = next === undefined ? { ...desired } : { ...desired, conditions: next };
  return { status, changed: !statusEquals(current, status) };
}
