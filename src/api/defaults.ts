// Defaults: the schema defaults applied to a spec (what the apiserver does before storing it) and the two
// defaults that are operator settings rather than schema values (images).
// Pure; the operator never writes these defaults back into the spec.
import { Value } from 'typebox/value';
import { AnyLogMasterSpecSchema } from './schema-spec.js';
import type { AnyLogMasterSpec, ResolvedLedger, ResolvedRestTls, ResolvedSpec } from './types.js';

/**
 * Where releases publish the operator image (which also runs the nodes); the node image when neither the
 * spec nor DEFAULT_NODE_IMAGE names one. scripts/check-versions.ts keeps it equal to the chart's default.
 */
export const PUBLISHED_IMAGE_REPOSITORY = 'ghcr.io/anylog-operator/anylog-operator';

/** Operator settings that provide image defaults (DEFAULT_NODE_IMAGE, DEFAULT_LEDGER_IMAGE). */
export interface ImageDefaults {
  readonly nodeImage: string;
  readonly ledgerImage: string;
}

export interface EffectiveImages {
  readonly node: string;
  /** Present only in managed ledger mode. */
  readonly ledger?: string;
}

/** A deep copy of the spec with every schema default filled in (does not validate). */
export function applySpecDefaults(spec: unknown): unknown {
  return Value.Default(AnyLogMasterSpecSchema, structuredClone(spec));
}

/**
 * The spec with defaults applied and the ledger mode made explicit. Call it only on a spec that passed
 * validation (validate.ts): the cast relies on the schema defaults covering every resolved field.
 */
export function resolveSpec(spec: AnyLogMasterSpec): ResolvedSpec {
  const full = applySpecDefaults(spec) as Omit<ResolvedSpec, 'ledger' | 'rest'> & {
    ledger: Record<string, unknown>;
    rest: { tls: Omit<ResolvedRestTls, 'renewBeforeHours'> & { renewBeforeHours?: number } };
  };
  return Object.freeze({
    ...full,
    ledger: resolveLedger(full.ledger),
    rest: { tls: resolveRestTls(full.rest.tls) },
  });
}

function resolveRestTls(
  tls: Omit<ResolvedRestTls, 'renewBeforeHours'> & { renewBeforeHours?: number },
): ResolvedRestTls {
  return { ...tls, renewBeforeHours: tls.renewBeforeHours ?? Math.max(1, Math.floor(tls.durationHours / 3)) };
}

function resolveLedger(ledger: Record<string, unknown>): ResolvedLedger {
  if (ledger['external'] !== undefined) {
    return {
      mode: 'External',
      external: ledger['external'] as Extract<ResolvedLedger, { mode: 'External' }>['external'],
    };
  }
  if (ledger['managed'] !== undefined) {
    return {
      mode: 'Managed',
      managed: ledger['managed'] as Extract<ResolvedLedger, { mode: 'Managed' }>['managed'],
    };
  }
  return { mode: 'Embedded' };
}

/** Effective images: the spec's, else the operator settings' (reported in `status.images`). */
export function effectiveImages(spec: ResolvedSpec, defaults: ImageDefaults): EffectiveImages {
  const node = spec.image ?? defaults.nodeImage;
  if (spec.ledger.mode !== 'Managed') return { node };
  return { node, ledger: spec.ledger.managed.image ?? defaults.ledgerImage };
}
