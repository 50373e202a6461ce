// The REST body lock (docs/design/node-runtime.md §1.4): a FIFO mutex held by a POST request from its first body
// line to the end of its header command, so two policy posts using the same variable cannot interleave.

export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release: () => void = () => undefined;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
