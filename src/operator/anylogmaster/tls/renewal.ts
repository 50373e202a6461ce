// When the operator (re)issues a certificate: pure decisions over certificate facts and a clock reading,
// so the rules are testable on a fake clock. A leaf is renewed `renewBefore` ahead of expiry, when its
// names no longer match the Service and pod, or when the CA changed; the CA is renewed while a full leaf
// lifetime still fits in it, so no leaf ever outlives the CA that signed it.
import type { CertificateFacts } from './inspect.js';

const HOUR_MS = 3_600_000;
/** CA lifetime: long, because replacing it means every client must fetch the new CA. */
export const CA_VALIDITY_MS = 10 * 365 * 24 * HOUR_MS;

export type RenewReason = 'missing' | 'unreadable' | 'expiring' | 'names-changed' | 'ca-changed';

export interface LeafPolicy {
  readonly durationHours: number;
  readonly renewBeforeHours: number;
}

/** Why the CA must be issued again, or undefined to keep it. */
export function caRenewal(
  ca: CertificateFacts | undefined,
  policy: LeafPolicy,
  nowMs: number,
  hasKey: boolean,
): RenewReason | undefined {
  if (ca === undefined) return hasKey ? 'unreadable' : 'missing';
  if (!hasKey || !ca.isCa) return 'unreadable';
  return ca.notAfterMs - nowMs <= policy.durationHours * HOUR_MS ? 'expiring' : undefined;
}

/** Why a leaf must be issued again, or undefined to keep it. `wantSans` empty = names are not checked. */
export function leafRenewal(
  leaf: CertificateFacts | undefined,
  input: {
    readonly policy: LeafPolicy;
    readonly nowMs: number;
    readonly wantSans: readonly string[];
    readonly signedByCurrentCa: boolean;
  },
): RenewReason | undefined {
  if (leaf === undefined) return 'missing';
  if (!input.signedByCurrentCa) return 'ca-changed';
  if (leaf.notAfterMs - input.nowMs <= input.policy.renewBeforeHours * HOUR_MS) return 'expiring';
  const want = [...input.wantSans].sort();
  if (want.length > 0 && want.join(',') !== leaf.sans.join(',')) return 'names-changed';
  return undefined;
}

export const leafValidityMs = (policy: LeafPolicy): number => policy.durationHours * HOUR_MS;
