// The REST server control: listens on the internal port (internal IP with
// `bind = true`, else every IPv4 interface) through the socket front (http/front.ts), which serves
// GET/OPTIONS and Content-Length POST requests itself and hands every other connection to the fastify
// app (app.ts), imported on first need so start-up and idle memory do not pay for it. Both share the
// rules (handling.ts), the `threads` limit (+100 waiting), the body lock and the peer-reply `timeout`.
// With `ssl = true` the front listens with TLS and refuses, at the handshake, every client whose certificate
// is not signed by the configured CA (tls-files.ts reads the PEM files once, at start).
import type { FastifyInstance } from 'fastify';
import type { NodeServices } from '../ports/runtime.js';
import type { RestServerControl, RestServerInfo } from '../ports/network.js';
import { ConcurrencyLimiter } from '../http/limiter.js';
import { ListenError } from '../tcp/errors.js';
import { HttpFront, type Fallback } from '../http/front.js';
import { Mutex } from '../../common/mutex.js';
import { createHandler, type HandlerDeps, type RestAnswer, type RestRequest } from './handling.js';
import { BODY_LIMIT, frontAnswer, parseHead, type ParsedHead } from '../http/wire.js';
import { clientIpOf } from './request-info.js';

export const MAX_WAITING = 100;

export interface RestServerOptions {
  /** 'on-request' (default): keep-alive only when the client asks with `Connection: keep-alive`. */
  readonly keepAlive?: 'never' | 'on-request';
  readonly bodyLimit?: number;
}

/** A request the socket front parsed; the client IP is read from the socket only when needed. */
class FrontRequest implements RestRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly decodedHeaders: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  private ip: string | undefined;

  constructor(
    head: ParsedHead,
    private readonly remote: () => string,
  ) {
    this.method = head.method;
    this.url = head.url;
    this.headers = head.headers;
    this.decodedHeaders = head.decoded;
    this.body = head.body;
  }

  get clientIp(): string {
    this.ip ??= clientIpOf(this.remote());
    return this.ip;
  }
}

class RestServer implements RestServerControl {
  private front: HttpFront<ParsedHead, RestAnswer> | undefined;
  private app: Promise<FastifyInstance> | undefined;
  private current: RestServerInfo | undefined;
  private timeoutSeconds = 20;

  constructor(
    private readonly node: NodeServices,
    private readonly options: RestServerOptions,
  ) {}

  info(): RestServerInfo | undefined {
    return this.current === undefined ? undefined : { ...this.current, timeoutSeconds: this.timeoutSeconds };
  }

  setTimeout(seconds: number): void {
    this.timeoutSeconds = seconds;
  }

  /** The fastify app for connections the front does not serve: answers always close the connection. */
  private fallback(deps: HandlerDeps): () => Promise<Fallback> {
    let entry: Promise<Fallback> | undefined;
    return () => {
      entry ??= (async () => {
        const { buildApp } = await import('./app.js');
        const app = buildApp({
          ...deps,
          keepAlive: 'never',
          ...(this.options.bodyLimit === undefined ? {} : { bodyLimit: this.options.bodyLimit }),
        });
        this.app = Promise.resolve(app);
        await app.ready();
        return (socket, pending, ended) => {
          app.server.emit('connection', socket);
          if (pending.length > 0) socket.emit('data', pending);
          if (ended) socket.emit('end');
        };
      })();
      return entry;
    };
  }

  async start(address: RestServerInfo): Promise<void> {
    const host = address.bind ? address.internalIp : '0.0.0.0';
    if (this.front !== undefined) throw new ListenError(host, address.internalPort, 'already running');
    // imported on first need, like the fastify app: node:tls stays unloaded on a plain-HTTP node
    const tls =
      address.tls === undefined ? undefined : await (await import('./tls-files.js')).loadRestTls(address.tls);
    this.timeoutSeconds = address.timeoutSeconds;
    const deps: HandlerDeps = {
      node: this.node,
      limiter: new ConcurrencyLimiter(address.threads, MAX_WAITING),
      bodyLock: new Mutex(),
      timeoutSeconds: () => this.timeoutSeconds,
      keepAlive: this.options.keepAlive ?? 'on-request',
    };
    const handler = createHandler(deps);
    const bodyLimit = this.options.bodyLimit ?? BODY_LIMIT;
    const front = new HttpFront<ParsedHead, RestAnswer>({
      parse: parseHead,
      bodyLimit,
      serve: (head, remote) => handler(new FrontRequest(head, remote)),
      encode: frontAnswer,
      fallback: this.fallback(deps),
      onError: (err) => {
        this.node.logger.error({ err }, 'REST connection failed');
      },
      ...(tls === undefined ? {} : { tls: { ...tls, requestCert: true, rejectUnauthorized: true } }),
    });
    try {
      await front.listen(host, address.internalPort, 511);
    } catch (err) {
      await front.close().catch(() => undefined);
      const errno = (err as { code?: unknown }).code;
      throw new ListenError(host, address.internalPort, typeof errno === 'string' ? errno : String(err), err);
    }
    this.front = front;
    this.current = address;
  }

  async stop(): Promise<void> {
    const front = this.front;
    const app = this.app;
    this.front = undefined;
    this.app = undefined;
    this.current = undefined;
    if (front !== undefined) await front.close();
    if (app !== undefined) await (await app).close();
  }
}

export function createRestServer(node: NodeServices, options: RestServerOptions = {}): RestServerControl {
  return new RestServer(node, options);
}
