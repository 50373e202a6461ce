// Step 3: validate the stored object with the TypeBox schema and the TypeScript twins of
// the CEL rules; a failure is Stalled/InvalidSpec (no retry until the generation changes).
import { Value } from 'typebox/value';
import { resolveSpec } from '../../../api/defaults.js';
import { AnyLogMasterSpecSchema } from '../../../api/schema.js';
import type { AnyLogMaster, AnyLogMasterSpec, ResolvedSpec } from '../../../api/types.js';
import { validateAnyLogMaster } from '../../../api/validate.js';
import { isRecord } from '../../../common/is-record.js';
import type { KubeObject } from '../../framework/kube.js';
import type { StalledOutcome } from '../outcomes.js';

/** The CR as the steps read it: identity and the defaulted spec; its status is the pass's parsed one. */
export type ValidatedMaster = Omit<AnyLogMaster, 'status'>;

export type ValidateResult =
  | { readonly ok: true; readonly cr: ValidatedMaster; readonly spec: ResolvedSpec }
  | { readonly ok: false; readonly stalled: StalledOutcome };

const invalid = (message: string): ValidateResult => ({
  ok: false,
  stalled: { reason: 'InvalidSpec', message },
});

/** The spec with schema defaults applied, typed by the schema check it passed. */
function defaultedSpec(defaulted: unknown): AnyLogMasterSpec | undefined {
  const spec = isRecord(defaulted) ? defaulted['spec'] : undefined;
  return Value.Check(AnyLogMasterSpecSchema, spec) ? spec : undefined;
}

/** The typed CR and its resolved spec, or the InvalidSpec stall listing every problem. */
export function validateObject(object: KubeObject): ValidateResult {
  const { status: _status, ...withoutStatus } = object;
  const result = validateAnyLogMaster(withoutStatus);
  if (!result.ok) return invalid(result.problems.map((p) => p.message).join('; '));
  const spec = defaultedSpec(result.defaulted);
  const { namespace, uid } = object.metadata;
  if (spec === undefined) return invalid('spec does not match the schema');
  // The API server always sets both on a stored namespaced object; without them nothing can be owned.
  if (namespace === undefined || uid === undefined)
    return invalid('metadata.namespace and metadata.uid are required');
  const cr: ValidatedMaster = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { ...object.metadata, namespace, uid },
    spec,
  };
  return { ok: true, cr, spec: resolveSpec(spec) };
}

/** Raw deletionPolicy, readable even when the spec is invalid (the finalizer decision needs it). */
export function wantsCleanup(object: KubeObject): boolean {
  const spec = object['spec'];
  return isRecord(spec) && spec['deletionPolicy'] === 'Delete';
}
