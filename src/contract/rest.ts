// TypeBox schemas of the node REST responses the operator reads: the JSON error body, `get status where format = json`, `get processes where format = json` and
// the array `blockchain get` returns. The node's REST layer may use them too; the operator's NodeClient
// validates every body against them. Pure data plus a small validation helper.
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';

/** `{"method", "node", "err_code", "err_text"[, "local_msg"]}` — the body of every failing command. */
export const NodeErrorBody = Type.Object({
  method: Type.String(),
  node: Type.String(),
  err_code: Type.Integer(),
  err_text: Type.String(),
  local_msg: Type.Optional(Type.String()),
});
export type NodeErrorBody = Static<typeof NodeErrorBody>;

/** `get status where format = json`. */
export const NodeStatusJson = Type.Object({
  assigned_name: Type.String(),
  status: Type.String(),
  profiling: Type.Boolean(),
});
export type NodeStatusJson = Static<typeof NodeStatusJson>;

/** One member of `get processes where format = json`. */
export const ProcessEntryJson = Type.Object({
  Status: Type.String(),
  Details: Type.Optional(Type.String()),
});

/** `get processes where format = json`: an object keyed by process name, in the node's row order. */
export const ProcessesJson = Type.Record(Type.String(), ProcessEntryJson);
export type ProcessesJson = Static<typeof ProcessesJson>;

/** A policy as `blockchain get` returns it: one key (the type) whose value is an object. */
export const PolicyJson = Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), {
  minProperties: 1,
  maxProperties: 1,
});
export type PolicyJson = Static<typeof PolicyJson>;

/** `blockchain get <type> [where …]` without `bring`: a list of policies (`[]` when none match). */
export const BlockchainGetResult = Type.Array(PolicyJson);
export type BlockchainGetResult = Static<typeof BlockchainGetResult>;

/** The inner object of a master policy, with the attributes the operator relies on. */
export const MasterPolicyBody = Type.Object({
  name: Type.String(),
  company: Type.String(),
  id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
});
export type MasterPolicyBody = Static<typeof MasterPolicyBody>;

export type ValidationResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] };

/** Check a parsed body against a schema; on failure list the first few problems (path: message). */
export function validateBody<S extends TSchema>(schema: S, value: unknown): ValidationResult<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value };
  const problems = Value.Errors(schema, value)
    .slice(0, 5)
    .map((e) => `${e.instancePath === '' ? '/' : e.instancePath}: ${e.message}`);
  return { ok: false, problems };
}
