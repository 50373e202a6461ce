// Rate limiter of the work queue: per-key exponential backoff (1 s doubling to
// 5 min, ±10 % jitter) combined with a global token bucket (10/s, burst 100); the larger delay wins.
// Time comes from the injected Clock, randomness from an injected source. No I/O.
import { backoffDelay } from '../../common/backoff.js';
import type { Clock } from '../../common/clock.js';

export interface RateLimiterOptions {
  readonly clock: Clock;
  readonly random?: () => number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly jitter?: number;
  readonly qps?: number;
  readonly burst?: number;
}

/** Global token bucket; reserve() returns how long the caller must wait for its token. */
export class TokenBucket {
  readonly #clock: Clock;
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(clock: Clock, qps: number, burst: number) {
    this.#clock = clock;
    this.#ratePerMs = qps / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = clock.monotonic();
  }

  /** Takes a token (possibly going into debt) and returns the wait in ms until it is valid. */
  reserve(): number {
    const now = this.#clock.monotonic();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#ratePerMs);
  }
}

export class RateLimiter {
  readonly #failures = new Map<string, number>();
  readonly #bucket: TokenBucket;
  readonly #random: () => number;
  readonly #base: number;
  readonly #max: number;
  readonly #jitter: number;

  constructor(options: RateLimiterOptions) {
    this.#bucket = new TokenBucket(options.clock, options.qps ?? 10, options.burst ?? 100);
    this.#random = options.random ?? Math.random;
    this.#base = options.baseDelayMs ?? 1000;
    this.#max = options.maxDelayMs ?? 300_000;
    this.#jitter = options.jitter ?? 0.1;
  }

  /** Delay before the next retry of `key`; each call counts one more failure. */
  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const perKey = backoffDelay(failures, {
      initialMs: this.#base,
      maxMs: this.#max,
      jitter: this.#jitter,
      random: this.#random,
    });
    return Math.max(perKey, this.#bucket.reserve());
  }

  /** Number of consecutive failures recorded for `key`. */
  retries(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Success (or the object is gone): reset the key's backoff. */
  forget(key: string): void {
    this.#failures.delete(key);
  }
}
