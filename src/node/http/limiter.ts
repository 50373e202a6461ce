// Concurrency limiter with a FIFO queue: at most `limit` tasks run at once, the
// rest wait in arrival order; with `maxWaiting`, further tasks are refused (REST: 503 / 108). Used by the
// TCP server (threads) and the REST server (threads + 100 waiting).

export class QueueFullError extends Error {
  constructor() {
    super('queue full');
    this.name = 'QueueFullError';
  }
}

export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private limit: number,
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.drain();
  }

  /** Run fn within the limit. Rejects with QueueFullError when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw new QueueFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private release(): void {
    if (this.running > this.limit) {
      this.running -= 1;
      return;
    }
    const next = this.waiting.shift();
    if (next === undefined) this.running -= 1;
    else next();
  }

  private drain(): void {
    while (this.running < this.limit) {
      const next = this.waiting.shift();
      if (next === undefined) return;
      this.running += 1;
      next();
    }
  }
}
