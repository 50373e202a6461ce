// The REST server control (anylog-node.md §4.2, §5): builds the app on start, listens on the internal
// port (internal IP with `bind = true`, else every IPv4 interface), honours `threads` (+100 waiting)
// and the peer-reply `timeout`. createRestServer(node, options?) uses `node` only at call time.
import type { FastifyInstance } from 'fastify';
import type { NodeServices } from '../ports/runtime.js';
import type { RestServerControl, RestServerInfo } from '../ports/network.js';
import { ConcurrencyLimiter } from '../tcp/limiter.js';
import { ListenError } from '../tcp/errors.js';
import { buildApp, MAX_WAITING } from './app.js';

export interface RestServerOptions {
  /** 'on-request' (default): keep-alive only when the client asks with `Connection: keep-alive`. */
  readonly keepAlive?: 'never' | 'on-request';
  readonly bodyLimit?: number;
}

class RestServer implements RestServerControl {
  private app: FastifyInstance | undefined;
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

  async start(address: RestServerInfo): Promise<void> {
    const host = address.bind ? address.internalIp : '0.0.0.0';
    if (this.app !== undefined) throw new ListenError(host, address.internalPort, 'already running');
    this.timeoutSeconds = address.timeoutSeconds;
    const app = buildApp({
      node: this.node,
      limiter: new ConcurrencyLimiter(address.threads, MAX_WAITING),
      timeoutSeconds: () => this.timeoutSeconds,
      keepAlive: this.options.keepAlive ?? 'on-request',
      ...(this.options.bodyLimit === undefined ? {} : { bodyLimit: this.options.bodyLimit }),
    });
    try {
      await app.listen({ host, port: address.internalPort, backlog: 511 });
    } catch (err) {
      await app.close().catch(() => undefined);
      const errno = (err as { code?: unknown }).code;
      throw new ListenError(host, address.internalPort, typeof errno === 'string' ? errno : String(err), err);
    }
    this.app = app;
    this.current = address;
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    this.current = undefined;
    if (app !== undefined) await app.close();
  }
}

export function createRestServer(node: NodeServices, options: RestServerOptions = {}): RestServerControl {
  return new RestServer(node, options);
}

export { buildApp } from './app.js';
