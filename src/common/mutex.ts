// A small FIFO async mutex for the node's serialization points: the ledger file,
// ledger installs, and the REST body lock a POST holds from its first body line to the end of its header command.
// run(fn) executes fn after every earlier holder finished; tryRun() skips when the lock is held.

export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  get locked(): boolean {
    return this.held > 0;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.held += 1;
    const previous = this.tail;
    let release = (): void => undefined;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      return await fn();
    } finally {
      this.held -= 1;
      release();
    }
  }

  /** Runs fn only when nobody holds or waits for the lock; undefined otherwise. */
  async tryRun<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.held > 0) return undefined;
    return this.run(fn);
  }
}
