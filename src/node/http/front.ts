// The REST port's socket front: accepts connections itself and serves the common
// requests in order, one at a time per connection, keep-alive when the answer says so: `parse` (the wire
// parser beside it) reads one request, `serve` (the REST rules) answers it and `encode` (the wire again) gives
// the answer's bytes, so a request enters the REST folder once. A request `parse` calls `slow` hands the
// whole connection, with the bytes read so far, to a full HTTP server (node:http + fastify, loaded on
// first need). This saves node:http's per-connection cost on the AnyLog hot path (a new connection per
// request) while every other request keeps node:http's exact behaviour. With `tls` it listens with node:tls
// and works the same on each TLS socket once its handshake (client certificate included) succeeded.
import { createServer, type Server, type Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';

export interface FrontAnswer {
  readonly bytes: Buffer;
  readonly keepAlive: boolean;
}

/** One parsed request: `end` is the offset after it. */
export interface FrontHead {
  readonly kind: 'request';
  readonly end: number;
}

/** What `parse` finds at an offset: a request, not enough bytes yet, or a shape for node:http. */
export type FrontParse<H extends FrontHead> = H | { readonly kind: 'incomplete' } | { readonly kind: 'slow' };

/** Takes over a connection: `pending` holds every byte read and not yet answered. */
export type Fallback = (socket: Socket, pending: Buffer, ended: boolean) => void;

export interface HttpFrontOptions<H extends FrontHead, A> {
  /** Parse the request starting at `start`; a POST body over `bodyLimit` bytes is `slow`. */
  readonly parse: (buf: Buffer, start: number, bodyLimit: number) => FrontParse<H>;
  /** The largest POST body the front serves (larger ones go to node:http). */
  readonly bodyLimit: number;
  /** Answer a parsed request; `remote` gives the client address. */
  readonly serve: (head: H, remote: () => string) => A | Promise<A>;
  /** An answer's bytes and whether the connection stays open. */
  readonly encode: (answer: A) => FrontAnswer;
  /** The full HTTP server's connection entry, loaded on first need. */
  readonly fallback: () => Promise<Fallback>;
  /** Called when parse, serve, encode or the fallback throws (the connection is destroyed). */
  readonly onError: (err: unknown) => void;
  /** Idle keep-alive timeout (node:http's default 5 s). */
  readonly idleMs?: number;
  /** How long a started request head may take to arrive (node:http's headersTimeout, 60 s). */
  readonly headMs?: number;
  /** How long close() lets busy connections finish their answer before destroying them (5 s). */
  readonly stopGraceMs?: number;
  /** Serve TLS with these options (certificate, key, trusted CA, client-certificate policy). */
  readonly tls?: TlsOptions;
}

const STOP_GRACE_MS = 5000;
const SWEEP_MS = 1000;

class Connection<H extends FrontHead, A> {
  private pending: Buffer | undefined;
  private busy = false;
  private ended = false;
  private done = false;
  private handing = false;
  private headSince = 0;
  private noDelay = false;
  private answered = false;
  /** Last read or write (ms), for the idle sweep. */
  lastActive = Date.now();
  stopping = false;

  constructor(
    readonly socket: Socket,
    private readonly front: HttpFront<H, A>,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onClose);
  }

  private address: string | undefined;

  /** The client address, read once per connection. */
  private readonly remote = (): string => {
    this.address ??= this.socket.remoteAddress ?? '';
    return this.address;
  };

  private readonly onClose = (): void => {
    this.front.forget(this);
  };

  /** Waiting for a request: no command running, not handed over, no last answer still being written. */
  get idle(): boolean {
    return !this.busy && !this.handing && !this.done;
  }

  private readonly onSocketError = (): void => {
    this.socket.destroy();
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.done) return;
    this.lastActive = Date.now();
    if (this.pending === undefined) {
      this.pending = chunk;
      this.headSince = Date.now();
    } else {
      this.pending = Buffer.concat([this.pending, chunk]);
    }
    if (!this.busy && !this.handing) this.pump();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    if (!this.busy && !this.handing && !this.done) this.endOfInput();
  };

  /**
   * The client has sent everything and nothing is being answered: close, or, when part of a request is
   * left, hand it over so node:http gives its answer to a cut-off request (400) as it would alone.
   */
  private endOfInput(): void {
    const rest = this.pending;
    if (rest !== undefined && rest.length > 0) this.handOff(rest);
    else this.finishConnection();
  }

  /** The idle sweep: close a connection idle past the keep-alive timeout or slow to send its head. */
  sweep(now: number): void {
    if (this.busy || this.handing || this.done) return;
    if (this.pending !== undefined) {
      if (now - this.headSince >= this.front.headMs) this.socket.destroy();
      return;
    }
    // before its first request a connection gets the head timeout, as with node:http
    const limit = this.answered ? this.front.idleMs : this.front.headMs;
    if (now - this.lastActive >= limit) this.socket.destroy();
  }

  /** After the last answer: FIN, then close once written, without waiting for the client's FIN (as node:http). */
  private readonly closeWritten = (): void => {
    this.socket.destroy();
  };

  private finishConnection(): void {
    this.done = true;
    this.pending = undefined;
    this.socket.end(this.closeWritten);
  }

  /** Answer complete requests in order until the buffer is used up, a request is slow or one is pending. */
  private pump(): void {
    const buf = this.pending;
    let offset = 0;
    while (buf !== undefined && offset < buf.length) {
      const { parse, serve, bodyLimit } = this.front.options;
      let head: FrontParse<H>;
      let answer: A | Promise<A>;
      try {
        head = parse(buf, offset, bodyLimit);
        if (head.kind !== 'request') {
          if (head.kind === 'incomplete') break;
          this.handOff(buf.subarray(offset));
          return;
        }
        answer = serve(head, this.remote);
      } catch (err) {
        this.fail(err);
        return;
      }
      offset = head.end;
      this.pending = offset < buf.length ? buf.subarray(offset) : undefined;
      this.headSince = Date.now();
      if (answer instanceof Promise) {
        this.busy = true;
        answer.then(this.onAnswer, (err: unknown) => {
          this.fail(err);
        });
        return;
      }
      if (!this.write(this.front.options.encode(answer))) return;
    }
    if (this.ended) this.endOfInput();
  }

  private readonly onAnswer = (answer: A): void => {
    this.busy = false;
    let bytes: FrontAnswer;
    try {
      bytes = this.front.options.encode(answer);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.write(bytes)) this.pump();
  };

  /** Write one answer; false when the connection ends or waits for drain. */
  private write(answer: FrontAnswer): boolean {
    const socket = this.socket;
    if (socket.destroyed) return false;
    this.lastActive = Date.now();
    this.answered = true;
    if (!answer.keepAlive || this.stopping) {
      this.done = true;
      this.pending = undefined;
      socket.end(answer.bytes, this.closeWritten);
      return false;
    }
    if (!this.noDelay) {
      // keep-alive answers go out at once (a close answer is one write then FIN: nothing to delay)
      socket.setNoDelay(true);
      this.noDelay = true;
    }
    if (socket.write(answer.bytes)) return true;
    this.busy = true;
    socket.once('drain', this.onDrain);
    return false;
  }

  private readonly onDrain = (): void => {
    this.busy = false;
    this.pump();
  };

  private fail(err: unknown): void {
    this.done = true;
    this.front.options.onError(err);
    this.socket.destroy();
  }

  private handOff(rest: Buffer): void {
    this.handing = true;
    this.pending = rest;
    this.front.options.fallback().then(
      (take) => {
        const socket = this.socket;
        socket.removeListener('data', this.onData);
        socket.removeListener('end', this.onEnd);
        socket.removeListener('error', this.onSocketError);
        if (socket.destroyed) return;
        take(socket, this.pending ?? Buffer.alloc(0), this.ended);
        this.pending = undefined;
      },
      (err: unknown) => {
        this.fail(err);
      },
    );
  }
}

export class HttpFront<H extends FrontHead, A> {
  private readonly server: Server;
  private readonly connections = new Set<Connection<H, A>>();
  private sweeper: NodeJS.Timeout | undefined;
  readonly idleMs: number;
  readonly headMs: number;

  constructor(readonly options: HttpFrontOptions<H, A>) {
    this.idleMs = options.idleMs ?? 5000;
    this.headMs = options.headMs ?? 60_000;
    const accept = (socket: Socket): void => {
      this.connections.add(new Connection(socket, this));
    };
    // A TLS server hands over a socket only after the handshake; failed handshakes never reach accept.
    // node:tls is loaded only here, so a node without TLS does not carry it at idle.
    this.server =
      options.tls === undefined
        ? createServer({ allowHalfOpen: true }, accept)
        : process
            .getBuiltinModule('node:tls')
            .createServer({ handshakeTimeout: this.headMs, ...options.tls, allowHalfOpen: true }, accept);
  }

  forget(conn: Connection<H, A>): void {
    this.connections.delete(conn);
  }

  private sweep(): void {
    const now = Date.now();
    for (const conn of this.connections) conn.sweep(now);
  }

  /** Listen; rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL …). */
  listen(host: string, port: number, backlog: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(err);
      };
      this.server.once('error', onError);
      this.server.listen({ host, port, backlog }, () => {
        this.server.removeListener('error', onError);
        this.sweeper = setInterval(() => {
          this.sweep();
        }, SWEEP_MS).unref();
        resolve();
      });
    });
  }

  /** Stop accepting; idle connections close now, busy ones after their answer (at most 5 s). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    for (const conn of this.connections) {
      conn.stopping = true;
      if (conn.idle) conn.socket.destroy();
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.stopGraceMs ?? STOP_GRACE_MS);
    });
    await Promise.race([closed, grace]);
    clearTimeout(timer);
    for (const conn of this.connections) conn.socket.destroy();
  }
}
