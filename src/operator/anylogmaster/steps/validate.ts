// Step 3 (docs/design/operator.md §5): validate the stored object with the TypeBox schema and the TypeScript twins of
// the CEL rules; a failure is Stalled/InvalidSpec (no retry until the generation changes).
import { resolveSpec } from '../../../api/defaults.js';
import type { AnyLogMaster, ResolvedSpec } from '../../../api/types.js';
import { validateAnyLogMaster } from '../../../api/validate.js';
import type { KubeObject } from '../../framework/kube.js';
import type { StalledOutcome } from '../outcomes.js';

export type ValidateResult =
  | { readonly ok: true; readonly cr: AnyLogMaster; readonly spec: ResolvedSpec }
  | { readonly ok: false; readonly stalled: StalledOutcome };

/** The typed CR and its resolved spec, or the InvalidSpec stall listing every problem. */
export function validateObject(object: KubeObject): ValidateResult {
  const { status: _status, ...withoutStatus } = object;
  const result = validateAnyLogMaster(withoutStatus);
  if (!result.ok) {
    return {
      ok: false,
      stalled: { reason: 'InvalidSpec', message: result.problems.map((p) => p.message).join('; ') },
    };
  }
  const cr = object as unknown as AnyLogMaster;
  return { ok: true, cr, spec: resolveSpec(cr.spec) };
}

/** Raw deletionPolicy, readable even when the spec is invalid (the finalizer decision needs it). */
export function wantsCleanup(object: KubeObject): boolean {
  const spec = object['spec'];
  if (typeof spec !== 'object' || spec === null) return false;
  return (spec as Record<string, unknown>)['deletionPolicy'] === 'Delete';
}
