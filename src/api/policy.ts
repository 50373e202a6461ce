// The desired `master` policy of an AnyLogMaster: fixed key order, the advertised
// address in both `ip` and `local_ip`, the StatefulSet pod name as `hostname`, so the policy text (and
// its id) never changes across pod restarts. Pure; the id is computed by src/contract/policy-id.ts.
import { resolveSpec } from './defaults.js';
import { nodePodName } from './names.js';
import type { AnyLogMasterSpec } from './types.js';

export interface MasterPolicyBody {
  readonly name: string;
  readonly company: string;
  readonly hostname: string;
  readonly ip: string;
  readonly local_ip: string;
  readonly port: number;
  readonly rest_port: number;
  readonly loc: string;
  readonly country: string;
  readonly state: string;
  readonly city: string;
}

export interface MasterPolicy {
  readonly master: MasterPolicyBody;
}

interface PolicySource {
  readonly metadata: { readonly name: string };
  readonly spec: AnyLogMasterSpec;
}

/** The policy the operator posts for `cr` at `advertisedAddress`. */
export function desiredMasterPolicy(cr: PolicySource, advertisedAddress: string): MasterPolicy {
  const spec = resolveSpec(cr.spec);
  return {
    master: {
      name: spec.nodeName,
      company: spec.company,
      hostname: nodePodName(cr),
      ip: advertisedAddress,
      local_ip: advertisedAddress,
      port: spec.network.tcpPort,
      rest_port: spec.network.restPort,
      loc: spec.location.loc,
      country: spec.location.country,
      state: spec.location.state,
      city: spec.location.city,
    },
  };
}
