// PURE master-policy decisions: the desired policy's EdgeLake id, its
// wire form for the NodeClient, and desired id + observed policies → the action (nothing, insert, or
// replace = drop stale ids then insert). steps/policy.ts executes the action; no I/O here.
import type { MasterPolicy } from '../../api/policy.js';
import { jsonObject, type JsonObject, type JsonValue } from '../../contract/ordered-json.js';
import { md5Hex, policyHashString } from '../../contract/policy-id.js';
import type { PolicyBody } from '../../nodeclient/index.js';

/** A master policy as the node reported it (only what the decision needs). */
export interface ObservedPolicy {
  readonly id: string;
  readonly name: string;
  readonly company: string;
}

export interface PolicyIdentity {
  readonly nodeName: string;
  readonly company: string;
}

export type PolicyAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'insert' }
  /** Drop every id in `drop`; insert afterwards unless the desired id is already there. */
  | { readonly kind: 'replace'; readonly drop: readonly string[]; readonly insert: boolean };

/** The inner object in the ordered-JSON form the id function hashes (integers as bigint, order kept). */
function innerJson(policy: MasterPolicy): JsonObject {
  // The spread copy (attribute order kept) is an open object, so it reads as a string-keyed record.
  const master: Readonly<Record<string, string | number>> = { ...policy.master };
  const entries = Object.entries(master).map(([k, v]): [string, JsonValue] => [
    k,
    typeof v === 'number' ? BigInt(v) : v,
  ]);
  return jsonObject(entries);
}

/** The EdgeLake id the node will give the policy (md5 of its Python repr). */
export function desiredPolicyId(policy: MasterPolicy): string {
  return md5Hex(policyHashString('master', innerJson(policy)));
}

/** The policy as the NodeClient posts it (attribute order kept). */
export function policyBody(policy: MasterPolicy): PolicyBody {
  return { master: { ...policy.master } };
}

/** Observed policies that belong to this CR: exact `name` and `company` matches (the node matches loosely). */
export function ownPolicies(observed: readonly ObservedPolicy[], identity: PolicyIdentity): ObservedPolicy[] {
  return observed.filter((p) => p.name === identity.nodeName && p.company === identity.company);
}

/** Exactly one match with the desired id → none; no match → insert; otherwise replace. */
export function decidePolicyAction(
  desiredId: string,
  observed: readonly ObservedPolicy[],
  identity: PolicyIdentity,
): PolicyAction {
  const own = ownPolicies(observed, identity);
  if (own.length === 0) return { kind: 'insert' };
  const stale = [...new Set(own.filter((p) => p.id !== desiredId).map((p) => p.id))];
  const present = own.some((p) => p.id === desiredId);
  if (stale.length === 0) return { kind: 'none' };
  return { kind: 'replace', drop: stale, insert: !present };
}
