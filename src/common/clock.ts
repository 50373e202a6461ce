// Clock port: current time, sleeps and timers. Background loops and time-dependent logic take a Clock so
// unit tests can use a fake one (test/helpers/fake-clock.ts). realClock is the production implementation.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds (for measuring durations). */
  monotonic(): number;
  /** Resolves after ms, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls fn once after ms. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/**
 * Monotonic milliseconds from process.hrtime: the `performance` global would load perf_hooks and, through
 * it, worker_threads (1.2 MB of resident memory in a Node 24 process) for the same clock.
 */
function hrtimeMs(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1000 + nanos / 1e6;
}

export const realClock: Clock = Object.freeze({
  now: () => Date.now(),
  monotonic: hrtimeMs,
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  setTimer: (ms: number, fn: () => void): TimerHandle => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return {
      cancel: () => {
        clearTimeout(timer);
      },
    };
  },
});
