// PURE: the full `.status` object of a pass from the computed conditions and the step extras; fields a
// step did not reach keep their previous value (advertisedAddress, endpoints, policyId, processes, backup,
// restore), a cleared policyId (replacement under way) and a cleared backup (none asked for) are dropped.
// Server-side apply removes omitted fields.
import type { ObservedStatus } from './observed-status.js';
import type { ComputedStatus } from './status.js';
import type { StatusExtras } from './pipeline.js';

export function assembleStatus(
  previous: ObservedStatus,
  computed: ComputedStatus,
  extras: StatusExtras,
): Record<string, unknown> {
  const policyId = extras.policyId === null ? undefined : (extras.policyId ?? previous.policyId);
  const fields: Record<string, unknown> = {
    observedGeneration: computed.observedGeneration,
    phase: computed.phase,
    conditions: computed.conditions,
    advertisedAddress: extras.advertisedAddress ?? previous.advertisedAddress,
    endpoints: extras.endpoints ?? previous.endpoints,
    policyId,
    ledger: extras.ledger ?? previous.ledger,
    images: extras.images ?? previous.images,
    processes: extras.processes ?? previous.processes,
    backup: extras.backup === null ? undefined : (extras.backup ?? previous.backup),
    restore: extras.restore ?? previous.restore,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
