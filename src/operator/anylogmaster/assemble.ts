// PURE: the full `.status` object of a pass from the computed conditions and the step extras; fields a
// step did not reach keep their previous value (advertisedAddress, endpoints, policyId, processes), a
// cleared policyId (replacement under way) is dropped. Server-side apply removes omitted fields.
import type { AnyLogMasterStatus } from '../../api/types.js';
import type { ComputedStatus } from './status.js';
import type { StatusExtras } from './pipeline.js';

function previousField<K extends keyof AnyLogMasterStatus>(
  previous: unknown,
  key: K,
): AnyLogMasterStatus[K] | undefined {
  if (typeof previous !== 'object' || previous === null) return undefined;
  return (previous as AnyLogMasterStatus)[key];
}

function pick<T>(value: T | undefined, fallback: T | undefined): T | undefined {
  return value ?? fallback;
}

export function assembleStatus(
  previous: unknown,
  computed: ComputedStatus,
  extras: StatusExtras,
): Record<string, unknown> {
  const policyId =
    extras.policyId === null ? undefined : pick(extras.policyId, previousField(previous, 'policyId'));
  const fields: Record<string, unknown> = {
    observedGeneration: computed.observedGeneration,
    phase: computed.phase,
    conditions: computed.conditions,
    advertisedAddress: pick(extras.advertisedAddress, previousField(previous, 'advertisedAddress')),
    endpoints: pick(extras.endpoints, previousField(previous, 'endpoints')),
    policyId,
    ledger: pick(extras.ledger, previousField(previous, 'ledger')),
    images: pick(extras.images, previousField(previous, 'images')),
    processes: pick(extras.processes, previousField(previous, 'processes')),
    backup: extras.backup === null ? undefined : pick(extras.backup, previousField(previous, 'backup')),
    restore: pick(extras.restore, previousField(previous, 'restore')),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
