// Delay sequences with jitter for retries and supervised restarts. Pure given its random source.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor?: number;
  /** Fraction of the delay added or removed at random, e.g. 0.1 for ±10 %. */
  readonly jitter?: number;
  readonly random?: () => number;
}

/** The delay before retry number `attempt` (0-based): initial × factor^attempt, capped, jittered. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const factor = options.factor ?? 2;
  const base = Math.min(options.maxMs, options.initialMs * Math.pow(factor, Math.max(0, attempt)));
  return applyJitter(base, options.jitter ?? 0, options.random ?? Math.random);
}

/** base ± jitter × base, never negative. */
export function applyJitter(base: number, jitter: number, random: () => number = Math.random): number {
  if (jitter <= 0) return base;
  const spread = base * jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}
