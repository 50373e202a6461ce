// A manual Clock (src/common/clock.ts port) for node and operator tests: time moves only through advance(); timers
// and sleeps fire in due order, and pending promise continuations are drained after each firing so async work
// started by a timer (a scheduler tick, a sleeping command, a lease renewal) runs before the next one. No real
// waiting.
import type { Clock, TimerHandle } from '../../src/common/clock.js';

interface PendingTimer {
  readonly seq: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Let queued promise continuations and setImmediate callbacks run (a bounded number of turns). */
export async function drain(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** 2026-11-26 12:00:00 UTC, for tests that compare timestamps written in UTC (Kubernetes leases, conditions). */
export const UTC_NOON = Date.UTC(2026, 10, 26, 12, 0, 0);

export class FakeClock implements Clock {
  private epochMs: number;
  private monoMs = 0;
  private seq = 0;
  private timers: PendingTimer[] = [];

  /** Starts at the given epoch time (default 2026-11-26 12:00:00 in the machine's local time zone). */
  constructor(startEpochMs = new Date(2026, 10, 26, 12, 0, 0).getTime()) {
    this.epochMs = startEpochMs;
  }

  now(): number {
    return this.epochMs;
  }

  monotonic(): number {
    return this.monoMs;
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    this.seq += 1;
    const seq = this.seq;
    this.timers.push({ seq, due: this.monoMs + Math.max(0, ms), fn });
    return {
      cancel: () => {
        this.timers = this.timers.filter((t) => t.seq !== seq);
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(new Error('aborted'));
        return;
      }
      const onAbort = (): void => {
        handle.cancel();
        reject(new Error('aborted'));
      };
      const handle = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Move time forward by ms, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.monoMs + ms;
    // bounded: each iteration fires one timer; a runaway zero-delay loop fails the test instead of hanging
    for (let fired = 0; fired < 100_000; fired += 1) {
      await drain();
      const next = this.nextDue();
      if (next === undefined || next.due > target) break;
      this.timers = this.timers.filter((t) => t.seq !== next.seq);
      this.epochMs += next.due - this.monoMs;
      this.monoMs = next.due;
      next.fn();
    }
    this.epochMs += target - this.monoMs;
    this.monoMs = target;
    await drain();
  }

  private nextDue(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
